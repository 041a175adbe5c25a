"""Importing an agreement from its text: read an upload (reading), propose its fields (parsing), find the
bodies it names (matching), then create it through agreements.services once the coordinator confirms."""
