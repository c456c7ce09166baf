"""Members flag posts and profiles (pages and API); flags gather in review cases."""
