"""Gateway sla. Exports what the gateway module assembles (filled in by its modules)."""
ROUTERS: tuple = ()
OPERATIONS: tuple = ()
JOBS: tuple = ()
CONSUMERS: tuple = ()
