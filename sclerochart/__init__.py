"""ScleroChart: charting at the chair for sclerotherapy of leg veins."""

__version__ = "0.1.0"
