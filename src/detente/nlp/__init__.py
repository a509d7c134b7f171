"""Language processing stages: language ID, segmentation, morphology, entities, times."""
