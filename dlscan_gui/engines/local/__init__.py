"""The offline engine: RapidOCR with the models its wheel ships, plus licence-aware geometry
and field extraction. Nothing here downloads anything or sends anything anywhere."""
