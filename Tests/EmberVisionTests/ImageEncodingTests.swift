// Encoding: PNG round trips exactly for 1-4 channels in either layout and
// from strided views; JPEG at quality 95 comes back close; files are written
// atomically (no temporary file left behind, the old file replaced whole);
// tensors that are not images are refused with the reason.

import EmberVision
import Foundation
import Testing

@Suite struct ImageEncodingTests {
    @Test(arguments: [1, 2, 3, 4])
    func pngRoundTripIsExact(channels: Int) throws {
        let image = patternImage([channels, 17, 23])
        let png = try encodePNG(image)
        #expect(ImageFormat(sniffing: png) == .png)
        let back = try decodeImage(png)
        #expect(back.shape == image.shape && back.dtype == .uint8)
        #expect(samples(back) == samples(image))
    }

    @Test func pngRoundTripsHWCGrayAndViews() throws {
        let hwc = patternImage([9, 14, 3])
        #expect(samples(try decodeImage(try encodePNG(hwc, layout: .hwc), options: .init(layout: .hwc))) == samples(hwc))
        let gray = patternImage([5, 8])
        let back = try decodeImage(try encodePNG(gray))
        #expect(back.shape == [1, 5, 8] && samples(back) == samples(gray))
        // A non-contiguous view: every other column of a wider image.
        let view = patternImage([3, 10, 20]).slice(dim: 2, start: 0, end: 20, step: 2)
        #expect(samples(try decodeImage(try encodePNG(view))) == samples(view.contiguous()))
        // Every compression level decodes to the same pixels.
        for level in [0, 1, 9] {
            #expect(samples(try decodeImage(try encodePNG(hwc, layout: .hwc, compressionLevel: level),
                                            options: .init(layout: .hwc))) == samples(hwc))
        }
    }

    /// The noisy RGB fixture re-encoded at quality 95 (libjpeg's default 4:2:0
    /// chroma subsampling removes most of its per-channel noise, hence a mean
    /// error near 4), and the gray one (no subsampling: within 6 here). PIL round-trips the
    /// same pixels at quality 95 with the same errors (max 19, mean 4.08; gray max 6).
    @Test func jpegRoundTripAtQuality95IsClose() throws {
        let image = try readImage(atPath: ImageFixtures.path("png_rgb8.png"))
        let jpeg = try encodeJPEG(image, quality: 95)
        #expect(ImageFormat(sniffing: jpeg) == .jpeg)
        let back = try decodeImage(jpeg)
        #expect(back.shape == image.shape)
        let a = samples(back), b = samples(image)
        let worst = maxDifference(a, b)
        let mean = Double(zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) }) / Double(a.count)
        print("JPEG q95 round trip: max |diff| \(worst), mean \(mean)")
        #expect(worst <= 24 && mean <= 5, "max \(worst), mean \(mean)")
        let gray = try readImage(atPath: ImageFixtures.path("png_gray8.png"))
        let grayBack = try decodeImage(try encodeJPEG(gray, quality: 95))
        let grayWorst = maxDifference(samples(grayBack), samples(gray))
        print("JPEG q95 gray round trip: max |diff| \(grayWorst)")
        #expect(grayBack.shape == gray.shape && grayWorst <= 8)
    }

    @Test func higherQualityIsLargerAndCloser() throws {
        let image = try readImage(atPath: ImageFixtures.path("png_rgb8.png"))
        let low = try encodeJPEG(image, quality: 10), high = try encodeJPEG(image, quality: 95)
        #expect(low.count < high.count)
        let lowDiff = maxDifference(samples(try decodeImage(low)), samples(image))
        let highDiff = maxDifference(samples(try decodeImage(high)), samples(image))
        #expect(highDiff < lowDiff)
    }

    @Test func writesAtomicallyAndReplacesWhole() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = patternImage([3, 17, 23])
        let png = dir.appendingPathComponent("a.png"), jpg = dir.appendingPathComponent("a.jpg")
        try Data("old contents, longer than nothing".utf8).write(to: png)
        try writePNG(image, to: png)
        try writeJPEG(image, toPath: jpg.path, quality: 90)
        #expect(samples(try readImage(at: png)) == samples(image))
        #expect(try readImage(at: jpg).shape == [3, 17, 23])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a.jpg", "a.png"])
        // A missing directory: the error names the file, nothing is created.
        let missing = dir.appendingPathComponent("no/such/dir/x.png")
        guard case .writeFailed(let path, _)? = imageError({ try writePNG(image, to: missing) }) else {
            Issue.record("expected writeFailed"); return
        }
        #expect(path == missing.path)
    }

    @Test func refusesTensorsThatAreNotImages() {
        let float = Tensor.zeros([3, 4, 4])
        guard case .invalidTensor(.png, let reason)? = imageError({ _ = try encodePNG(float) }) else {
            Issue.record("float32 accepted"); return
        }
        #expect(reason.contains("float32"))
        let five = patternImage([5, 4, 4])
        #expect(imageError({ _ = try encodePNG(five) }).map { "\($0)" }?.contains("5 channels") == true)
        #expect(imageError({ _ = try encodeJPEG(patternImage([4, 4, 4])) }) != nil)          // RGBA JPEG
        #expect(imageError({ _ = try encodeJPEG(patternImage([2, 4, 4])) }) != nil)          // gray+alpha JPEG
        #expect(imageError({ _ = try encodePNG(patternImage([3, 0, 4])) }) != nil)           // empty
        #expect(imageError({ _ = try encodePNG(patternImage([1, 2, 3, 4])) }) != nil)        // rank 4
        #expect(imageError({ _ = try encodeJPEG(patternImage([3, 4, 4]), quality: 0) })
                == .invalidSetting(format: .jpeg, name: "quality", value: 0, range: 1...100))
        #expect(imageError({ _ = try encodeJPEG(patternImage([3, 4, 4]), quality: 101) }) != nil)
        #expect(imageError({ _ = try encodePNG(patternImage([3, 4, 4]), compressionLevel: 10) }) != nil)
    }
}
