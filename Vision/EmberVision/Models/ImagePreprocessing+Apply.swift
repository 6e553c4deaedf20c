// Running a model's preprocessing on decoded images: torchvision's preset
// (resize the shorter side, center crop, scale to [0, 1], normalize), or
// CheXNet's ten crops.

import EmberCore

extension ImagePreprocessing {
    /// The resized image, still uint8 (or float), before cropping: what CAM
    /// overlays are drawn on.
    public func resized(_ image: Tensor) -> Tensor {
        TF.resize(image, size: [resize], interpolation: .bilinear, antialias: true)
    }

    /// One network input `[3, crop, crop]` from a uint8 CHW RGB image.
    ///
    /// ```swift
    /// let x = PretrainedModel.densenet121.preprocessing(try readImage(at: url, mode: .rgb))
    /// ```
    public func callAsFunction(_ image: Tensor) -> Tensor {
        normalized(TF.centerCrop(resized(image), size: [crop]))
    }

    /// The ten crops CheXNet averages over, `[10, 3, crop, crop]`: the
    /// corners and center of the resized image and of its mirror image.
    public func tenCrops(_ image: Tensor) -> Tensor {
        Tensor.stack(TF.tenCrop(resized(image), size: [crop]).map(normalized))
    }

    /// Scaled to [0, 1] (from uint8) and normalized with `mean` and `std`.
    public func normalized(_ image: Tensor) -> Tensor {
        TF.normalize(TF.convertImageDtype(image, to: .float32), mean: mean.map(Double.init), std: std.map(Double.init))
    }
}
