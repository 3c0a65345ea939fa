"""Brushwork core: everything that works without a screen. Never imports Qt."""
