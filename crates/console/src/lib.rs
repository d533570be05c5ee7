//! Kefu agent console: a Yew app compiled to wasm by Trunk and served by
//! `kefu-server` at `/console`. It reuses the widget's message renderers.
