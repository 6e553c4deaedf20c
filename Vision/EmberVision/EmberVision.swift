// EmberVision: torchvision for Ember. Image decoding and encoding (IO/),
// transforms on tensors (Transforms/), datasets (Datasets/) and models with
// torchvision's state-dict keys (Models/).

@_exported import EmberCore
