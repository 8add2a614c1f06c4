"""The fault run's parts (``bench/faults.py`` is the command): the processes it starts
(stack), the people it plays over HTTP (client, journey), the faults it injects (faults)
and what it counts at the end (checks)."""
