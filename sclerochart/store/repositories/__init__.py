"""The queries the services run, one module per kind of record; each takes the unit of work `tx`."""
