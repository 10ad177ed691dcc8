"""Spatial and coverage computation for Peta ILP (no streamlit here)."""
