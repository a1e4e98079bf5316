"""Evidence of use, not detection: usages (headers, hosts, operations), code, IaC."""
