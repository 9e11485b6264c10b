"""Rule files the tests use besides the project's rules.yaml."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini_rules.yaml"  # small, complete: every condition form appears once
