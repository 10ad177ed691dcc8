"""Reading, validating and storing Peta ILP input (no streamlit here)."""
