"""The verdict: the blast-radius graph, the gate and the baseline."""
