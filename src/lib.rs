//! Kefu widget.
