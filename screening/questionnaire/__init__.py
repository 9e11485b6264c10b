"""The questionnaire: questions, choices, show-if and answer validation (no Flask here)."""
