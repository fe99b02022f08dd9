import pytest
from enforcement_world import World, build_world


@pytest.fixture
def world() -> World:
    built = build_world()
    built.see()
    return built
