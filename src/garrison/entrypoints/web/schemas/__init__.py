"""Wire schemas: the JSON shapes of API version 1. Domain types never cross the wire directly."""
