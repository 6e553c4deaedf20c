// Decoding against PIL: every fixture case (JPEG within ±1 of Pillow's
// libjpeg-turbo, PNG exactly), EXIF orientations as ImageOps.exif_transpose,
// read modes as Image.convert, CHW as the permuted HWC, and 16-bit samples.

import EmberVision
import Foundation
import Testing

@Suite struct ImageDecodingTests {
    @Test(arguments: ImageFixtures.cases)
    func matchesPIL(_ c: ImageCase) throws {
        let options = ImageDecodingOptions(layout: .hwc, appliesEXIFOrientation: c.orient, keepsSixteenBitSamples: c.wide)
        let image = try readImage(atPath: ImageFixtures.path(c.file), mode: c.mode, options: options)
        #expect(image.shape == c.shape)
        #expect(image.dtype == (c.wide ? .int32 : .uint8))
        let diff = maxDifference(samples(image), c.expected())
        #expect(diff <= c.tolerance, "max |diff| \(diff) vs PIL, tolerance \(c.tolerance)")
    }

    /// The largest JPEG difference from PIL over every JPEG case, printed for the record.
    @Test func jpegDifferenceFromPILIsAtMostOne() throws {
        var worst = 0, differing = 0, total = 0
        for c in ImageFixtures.jpegCases {
            let options = ImageDecodingOptions(layout: .hwc, appliesEXIFOrientation: c.orient)
            let got = samples(try readImage(atPath: ImageFixtures.path(c.file), mode: c.mode, options: options))
            let expected = c.expected()
            worst = max(worst, maxDifference(got, expected))
            differing += zip(got, expected).filter { $0 != $1 }.count
            total += got.count
        }
        print("JPEG vs PIL: max |diff| \(worst), \(differing) of \(total) samples differ")
        #expect(worst <= 1)
    }

    @Test func chwIsThePermutedHWC() throws {
        for file in ["jpeg_baseline.jpg", "png_rgba8.png", "png_gray8.png", "jpeg_exif_6.jpg"] {
            let chw = try readImage(atPath: ImageFixtures.path(file))
            let hwc = try readImage(atPath: ImageFixtures.path(file), options: .init(layout: .hwc))
            #expect(chw.shape == [hwc.shape[2], hwc.shape[0], hwc.shape[1]])
            #expect(samples(chw) == samples(hwc.permute(2, 0, 1).contiguous()), "\(file)")
        }
    }

    @Test func exifOrientationSixAndEightSwapWidthAndHeight() throws {
        let upright = try readImage(atPath: ImageFixtures.path("jpeg_exif_1.jpg"))
        #expect(upright.shape == [3, 17, 23])
        for k in [5, 6, 7, 8] {
            #expect(try readImage(atPath: ImageFixtures.path("jpeg_exif_\(k).jpg")).shape == [3, 23, 17])
        }
        var ignore = ImageDecodingOptions()
        ignore.appliesEXIFOrientation = false
        #expect(try readImage(atPath: ImageFixtures.path("jpeg_exif_6.jpg"), options: ignore).shape == [3, 17, 23])
    }

    @Test func decodesFromBytesAndDataAlike() throws {
        let bytes = ImageFixtures.bytes("png_palette4_trns.png")
        let a = try decodeImage(bytes)
        let b = try decodeImage(Data(bytes))
        let c = try readImage(at: URL(fileURLWithPath: ImageFixtures.path("png_palette4_trns.png")))
        #expect(a.shape == [4, 17, 23])
        #expect(samples(a) == samples(b))
        #expect(samples(a) == samples(c))
    }

    @Test func formatIsSniffedNotTakenFromTheName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ember-sniff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let misnamed = dir.appendingPathComponent("actually-a-png.jpg")
        try Data(ImageFixtures.bytes("png_rgb8.png")).write(to: misnamed)
        #expect(try readImage(at: misnamed).shape == [3, 17, 23])
        #expect(ImageFormat(sniffing: ImageFixtures.bytes("jpeg_gray.jpg")) == .jpeg)
        #expect(ImageFormat(sniffing: ImageFixtures.bytes("png_gray1.png")) == .png)
        #expect(ImageFormat(sniffing: [0x47, 0x49, 0x46, 0x38]) == nil)   // GIF8
    }

    @Test func sixteenBitReducesToTheHighByteUnlessKept() throws {
        let wide = try readImage(atPath: ImageFixtures.path("png_gray16.png"), options: .init(keepsSixteenBitSamples: true))
        let narrow = try readImage(atPath: ImageFixtures.path("png_gray16.png"))
        #expect(wide.dtype == .int32 && narrow.dtype == .uint8)
        #expect(samples(wide).map { $0 >> 8 } == samples(narrow))
        // 8-bit files stay uint8 even when 16-bit samples are kept.
        #expect(try readImage(atPath: ImageFixtures.path("png_rgb8.png"), options: .init(keepsSixteenBitSamples: true)).dtype == .uint8)
    }
}
