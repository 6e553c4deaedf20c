// Functional crops, padding and flips: TF.crop, centerCrop, resizedCrop,
// fiveCrop, tenCrop, pad, hflip, vflip. Crops are views where they stay
// inside the image; out-of-bounds parts are zero-padded, as torchvision's
// tensor backend does.

extension TF {
    /// The `height × width` region at (`top`, `left`); parts outside the image
    /// are zeros (`torchvision.transforms.functional.crop`).
    ///
    /// ```swift
    /// let patch = TF.crop(image, top: 4, left: 8, height: 16, width: 16)
    /// ```
    public static func crop(_ image: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
        let (_, h, w) = imageSize(image, "crop")
        precondition(height >= 0 && width >= 0, "crop: size \(height)×\(width) must not be negative")
        let right = left + width, bottom = top + height
        if left < 0 || top < 0 || right > w || bottom > h {
            // torchvision crops what lies inside, then pads the rest with zeros.
            let inside = cropView(image, top: Swift.max(top, 0), bottom: Swift.min(Swift.max(bottom, 0), h),
                                  left: Swift.max(left, 0), right: Swift.min(Swift.max(right, 0), w))
            let padLTRB = [Swift.max(-left + Swift.min(0, right), 0), Swift.max(-top + Swift.min(0, bottom), 0),
                           Swift.max(right - w, 0), Swift.max(bottom - h, 0)]
            return pad(inside, padding: padLTRB)
        }
        return cropView(image, top: top, bottom: bottom, left: left, right: right)
    }

    /// Rows top..<bottom and columns left..<right as a view (empty when reversed).
    private static func cropView(_ image: Tensor, top: Int, bottom: Int, left: Int, right: Int) -> Tensor {
        image.narrow(dim: -2, start: top, length: Swift.max(bottom - top, 0))
            .narrow(dim: -1, start: left, length: Swift.max(right - left, 0))
    }

    /// The centred `[h, w]` (or `[s, s]`) crop, zero-padded first when the crop
    /// is larger than the image (`center_crop`). Offsets round half to even,
    /// as Python's `round`.
    ///
    /// ```swift
    /// let c = TF.centerCrop(image, size: [224])
    /// ```
    public static func centerCrop(_ image: Tensor, size: [Int]) -> Tensor {
        let (ch, cw) = squareOrPair(size, "centerCrop")
        var (_, h, w) = imageSize(image, "centerCrop")
        var x = image
        if ch > h || cw > w {
            let ltrb = [cw > w ? (cw - w) / 2 : 0, ch > h ? (ch - h) / 2 : 0,
                        cw > w ? (cw - w + 1) / 2 : 0, ch > h ? (ch - h + 1) / 2 : 0]
            x = pad(x, padding: ltrb)
            (_, h, w) = imageSize(x, "centerCrop")
            if ch == h && cw == w { return x }
        }
        let top = Int((Double(h - ch) / 2).rounded(.toNearestOrEven))
        let left = Int((Double(w - cw) / 2).rounded(.toNearestOrEven))
        return crop(x, top: top, left: left, height: ch, width: cw)
    }

    /// `crop` then `resize` (`resized_crop`), the step behind RandomResizedCrop.
    ///
    /// ```swift
    /// let y = TF.resizedCrop(image, top: 2, left: 3, height: 15, width: 20, size: [8, 8])
    /// ```
    public static func resizedCrop(_ image: Tensor, top: Int, left: Int, height: Int, width: Int, size: [Int],
                                   interpolation: InterpolationMode = .bilinear, antialias: Bool = true) -> Tensor {
        resize(crop(image, top: top, left: left, height: height, width: width),
               size: size, interpolation: interpolation, antialias: antialias)
    }

    /// The four corner crops and the centre crop, in torchvision's order:
    /// top-left, top-right, bottom-left, bottom-right, centre (`five_crop`).
    ///
    /// ```swift
    /// let crops = TF.fiveCrop(image, size: [10])   // 5 tensors [C, 10, 10]
    /// ```
    public static func fiveCrop(_ image: Tensor, size: [Int]) -> [Tensor] {
        let (ch, cw) = squareOrPair(size, "fiveCrop")
        let (_, h, w) = imageSize(image, "fiveCrop")
        precondition(ch <= h && cw <= w, "fiveCrop: crop \(ch)×\(cw) is larger than the image \(image.shape)")
        return [
            crop(image, top: 0, left: 0, height: ch, width: cw),
            crop(image, top: 0, left: w - cw, height: ch, width: cw),
            crop(image, top: h - ch, left: 0, height: ch, width: cw),
            crop(image, top: h - ch, left: w - cw, height: ch, width: cw),
            centerCrop(image, size: [ch, cw]),
        ]
    }

    /// The five crops of the image, then the five of its horizontal (or,
    /// with `verticalFlip`, vertical) mirror (`ten_crop`).
    ///
    /// ```swift
    /// let crops = TF.tenCrop(image, size: [10])   // 10 tensors
    /// ```
    public static func tenCrop(_ image: Tensor, size: [Int], verticalFlip: Bool = false) -> [Tensor] {
        fiveCrop(image, size: size) + fiveCrop(verticalFlip ? vflip(image) : hflip(image), size: size)
    }

    /// Padding `[all]`, `[left/right, top/bottom]` or `[left, top, right, bottom]`
    /// added around the image (`pad`); negative amounts crop. `fill` is for
    /// `.constant`.
    ///
    /// ```swift
    /// let y = TF.pad(image, padding: [2, 1], mode: .reflect)   // +4 columns, +2 rows
    /// ```
    public static func pad(_ image: Tensor, padding: [Int], fill: Double = 0,
                           mode: ImagePaddingMode = .constant) -> Tensor {
        precondition([1, 2, 4].contains(padding.count),
                     "pad: padding must have 1, 2 or 4 elements, got \(padding)")
        let ltrb = padding.count == 1 ? [padding[0], padding[0], padding[0], padding[0]]
            : padding.count == 2 ? [padding[0], padding[1], padding[0], padding[1]] : padding
        _ = imageSize(image, "pad")
        let (l, t, r, b) = (ltrb[0], ltrb[1], ltrb[2], ltrb[3])
        switch mode {
        case .constant: return image.pad([l, r, t, b], mode: .constant(fill))
        case .edge: return image.pad([l, r, t, b], mode: .replicate)
        case .reflect: return image.pad([l, r, t, b], mode: .reflect)
        case .symmetric: return padSymmetric(image, l: l, t: t, r: r, b: b)
        }
    }

    /// Symmetric padding by gathering mirrored indices, as torchvision's
    /// `_pad_symmetric` (the edge pixel is repeated).
    private static func padSymmetric(_ image: Tensor, l: Int, t: Int, r: Int, b: Int) -> Tensor {
        let (_, h, w) = imageSize(image, "pad")
        // Negative amounts crop first.
        var x = cropView(image, top: Swift.max(-t, 0), bottom: h - Swift.max(-b, 0),
                         left: Swift.max(-l, 0), right: w - Swift.max(-r, 0))
        let (_, ih, iw) = imageSize(x, "pad")
        func indices(_ n: Int, before: Int, after: Int) -> Tensor {
            precondition(before <= n && after <= n,
                         "pad: symmetric padding (\(before), \(after)) exceeds the size \(n) of image \(image.shape)")
            let lead = (0..<before).reversed().map { Int64($0) }
            let tail = (0..<after).map { Int64(n - 1 - $0) }
            return Tensor(lead + (0..<n).map { Int64($0) } + tail)
        }
        let (l, t, r, b) = (Swift.max(l, 0), Swift.max(t, 0), Swift.max(r, 0), Swift.max(b, 0))
        if l > 0 || r > 0 { x = x.indexSelect(dim: x.rank - 1, index: indices(iw, before: l, after: r)) }
        if t > 0 || b > 0 { x = x.indexSelect(dim: x.rank - 2, index: indices(ih, before: t, after: b)) }
        return x
    }

    /// The image mirrored left to right (`hflip`).
    ///
    /// ```swift
    /// let mirrored = TF.hflip(image)
    /// ```
    public static func hflip(_ image: Tensor) -> Tensor {
        _ = imageSize(image, "hflip")
        return image.flip([-1])
    }

    /// The image mirrored top to bottom (`vflip`).
    ///
    /// ```swift
    /// let upsideDown = TF.vflip(image)
    /// ```
    public static func vflip(_ image: Tensor) -> Tensor {
        _ = imageSize(image, "vflip")
        return image.flip([-2])
    }
}
