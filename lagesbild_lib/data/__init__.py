"""The data contract (DESIGN §6): table specs, reading, validation, the area registry, geo layers."""
