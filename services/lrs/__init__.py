"""The xAPI 1.0.3 Learning Record Store: statements, stored and queried."""
