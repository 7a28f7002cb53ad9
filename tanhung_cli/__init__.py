"""tanhung: the membership registry of a commune Party Committee (Đảng bộ xã)."""

__version__ = "0.1.0"
