/// Placeholder until the Engine issue lands.
