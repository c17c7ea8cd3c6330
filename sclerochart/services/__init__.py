"""Use cases the UI and the command line call: one unit of work each, plain values in and out."""
