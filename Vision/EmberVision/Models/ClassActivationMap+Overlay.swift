// Drawing a class activation map over its image, as the CheXNet paper's
// figures do: the map upsampled to the image, coloured with the jet map
// (blue for none, red for the strongest evidence), blended half and half.

import EmberCore

/// Blends `map` (`[h, w]`, values in [0, 1]) as a jet heatmap over `image`
/// (uint8 `[3, H, W]`), returning a uint8 `[3, H, W]` image for `writePNG`.
///
/// ```swift
/// let maps = model.classActivationMaps(x, classIndex: top)
/// try writePNG(activationMapOverlay(image: cropped, map: maps[0]), to: url)
/// ```
public func activationMapOverlay(image: Tensor, map: Tensor, opacity: Double = 0.5) -> Tensor {
    precondition(image.rank == 3 && image.shape[0] == 3, "activationMapOverlay: expected a [3, H, W] image, got \(image.shape)")
    precondition(map.rank == 2, "activationMapOverlay: expected a [h, w] map, got \(map.shape)")
    let (h, w) = (image.shape[1], image.shape[2])
    let up = TF.resize(map.to(.float32).unsqueeze(0), size: [h, w], interpolation: .bilinear, antialias: false)
        .clamp(min: 0.0, max: 1.0)[0]
    // Jet: each channel a trapezoid over the value, offset by a quarter.
    func ramp(_ center: Double) -> Tensor { (up.sub(center).abs().mul(-4).add(1.5)).clamp(min: 0.0, max: 1.0) }
    let heat = Tensor.stack([ramp(0.75), ramp(0.5), ramp(0.25)]).mul(255)
    let base = image.to(.float32)
    return base.mul(1 - opacity).add(heat.mul(opacity)).round().clamp(min: 0.0, max: 255.0).to(.uint8)
}
