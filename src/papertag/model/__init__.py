"""The classifier layer: TF-IDF + linear models trained on weak and gold labels."""
