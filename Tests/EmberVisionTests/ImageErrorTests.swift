// Refusals: empty, unknown and garbage data, truncated and corrupted files,
// decompression-bomb headers and unreadable paths each give their typed
// ImageError naming the file; and no prefix or single-byte corruption of a
// valid file ever crashes the process (libjpeg's exit() and libpng's longjmp
// stay inside the C shims).

import EmberVision
import Foundation
import Testing

@Suite struct ImageErrorTests {
    @Test func emptyAndUnknownData() {
        #expect(imageError({ _ = try decodeImage([UInt8](), name: "e.png") }) == .empty(path: "e.png"))
        #expect(imageError({ _ = try decodeImage(Array("GIF89a....".utf8), name: "x.gif") })
                == .unknownFormat(path: "x.gif", leadingBytes: Array("GIF89a..".utf8)))
        let garbage = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }
        guard case .unknownFormat(let path, let lead)? = imageError({ _ = try decodeImage(garbage, name: "g") }) else {
            Issue.record("garbage decoded"); return
        }
        #expect(path == "g" && lead == Array(garbage.prefix(8)))
        #expect("\(ImageError.unknownFormat(path: "g", leadingBytes: [0x47, 0xAB]))".contains("47 AB"))
    }

    @Test func magicFollowedByGarbage() {
        let noise = (0..<500).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        switch imageError({ _ = try decodeImage([0xFF, 0xD8, 0xFF, 0xE0] + noise) }) {
        case .corrupt(_, .jpeg, _)?, .truncated(_, .jpeg, _)?: break   // libjpeg skips garbage looking for markers
        case let other: Issue.record("expected a corrupt JPEG, got \(String(describing: other))")
        }
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard case .corrupt(_, .png, _)? = imageError({ _ = try decodeImage(signature + noise) }) else {
            Issue.record("expected a corrupt PNG"); return
        }
    }

    @Test(arguments: ["jpeg_baseline.jpg", "jpeg_progressive.jpg", "jpeg_gray.jpg", "jpeg_cmyk_adobe.jpg"])
    func truncatedJPEGIsAnError(file: String) {
        let bytes = ImageFixtures.bytes(file)
        for fraction in [0.3, 0.6, 0.9] {
            let cut = Array(bytes.prefix(Int(Double(bytes.count) * fraction)))
            let error = imageError({ _ = try decodeImage(cut, name: file) })
            guard case .truncated(let path, .jpeg, let detail)? = error else {
                Issue.record("\(file) cut at \(cut.count) of \(bytes.count): \(String(describing: error))"); continue
            }
            #expect(path == file && detail.contains("Premature end"))
        }
    }

    @Test(arguments: ["png_rgb8.png", "png_rgba8_interlaced.png", "png_gray16.png", "png_palette4_trns.png"])
    func truncatedPNGIsAnError(file: String) {
        let bytes = ImageFixtures.bytes(file)
        for cut in [20, 40, bytes.count / 2, bytes.count - 20] {
            let error = imageError({ _ = try decodeImage(Array(bytes.prefix(cut)), name: file) })
            guard case .truncated(file, .png, let detail)? = error else {
                Issue.record("\(file) cut at \(cut): \(String(describing: error))"); continue
            }
            #expect(detail.contains("data ends at \(cut)"))
        }
    }

    @Test func corruptPixelDataIsAnError() {
        let png = ImageFixtures.bytes("png_rgb8.png")
        let idat = png.indices.first { png[$0..<$0 + 4].elementsEqual("IDAT".utf8) }!
        let length = png[idat - 4..<idat].reduce(0) { $0 << 8 | Int($1) }
        var badCRC = png, badData = png
        badCRC[idat + 4 + length] ^= 0xFF
        badData[idat + 10] ^= 0xFF   // inside the zlib stream
        guard case .corrupt(_, .png, let crc)? = imageError({ _ = try decodeImage(badCRC) }),
              case .corrupt(_, .png, let zlib)? = imageError({ _ = try decodeImage(badData) }) else {
            Issue.record("corrupt IDAT decoded"); return
        }
        #expect(crc.contains("CRC"), "\(crc)")
        #expect(!zlib.isEmpty)
        var jpeg = ImageFixtures.bytes("jpeg_baseline.jpg")
        let sof = jpeg.indices.first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }!
        jpeg[sof + 9] = 2   // two components: no JPEG color space has them
        #expect(imageError({ _ = try decodeImage(jpeg) }) != nil)
    }

    @Test func decompressionBombsAreRefusedFromTheHeader() {
        let png = ImageFixtures.path("bomb_100000x100000.png")
        #expect(imageError({ _ = try readImage(atPath: png) })
                == .tooManyPixels(path: png, width: 100_000, height: 100_000, limit: 89_478_485))
        let jpg = ImageFixtures.path("bomb_65000x65000.jpg")
        #expect(imageError({ _ = try readImage(atPath: jpg) })
                == .tooManyPixels(path: jpg, width: 65_000, height: 65_000, limit: ImageDecodingOptions.defaultMaxPixelCount))
        let message = "\(ImageError.tooManyPixels(path: png, width: 100_000, height: 100_000, limit: 89_478_485))"
        #expect(message.contains("100000×100000") && message.contains("89478485") && message.contains(png))
    }

    @Test func pixelLimitIsConfigurable() throws {
        let file = ImageFixtures.path("jpeg_baseline.jpg")
        #expect(imageError({ _ = try readImage(atPath: file, options: .init(maxPixelCount: 390)) })
                == .tooManyPixels(path: file, width: 23, height: 17, limit: 390))
        #expect(try readImage(atPath: file, options: .init(maxPixelCount: 391)).shape == [3, 17, 23])
        #expect(try readImage(atPath: ImageFixtures.path("png_rgb8.png"), options: .init(maxPixelCount: 391)).count == 1173)
    }

    @Test func unreadablePaths() {
        guard case .cannotOpen(let path, let reason)? = imageError({ _ = try readImage(atPath: "/no/such/image.png") }) else {
            Issue.record("missing file read"); return
        }
        #expect(path == "/no/such/image.png" && reason.contains("No such file"))
        guard case .cannotOpen(_, let dirReason)? = imageError({ _ = try readImage(atPath: ImageFixtures.directory.path) }) else {
            Issue.record("directory read"); return
        }
        #expect(dirReason.contains("not a regular file"))
    }

    /// Every prefix of small files is an error, never a crash; as in PIL,
    /// only a PNG missing just its IEND chunk (12 bytes) still decodes.
    @Test(arguments: ["jpeg_progressive.jpg", "jpeg_exif_6.jpg", "png_rgba8_interlaced.png", "png_palette2.png"])
    func everyPrefixFailsCleanly(file: String) {
        let bytes = ImageFixtures.bytes(file)
        let trailer = file.hasSuffix(".jpg") ? 0 : 12
        for n in 0..<(bytes.count - trailer) {
            do {
                _ = try decodeImage(Array(bytes.prefix(n)), name: file)
                Issue.record("\(file): a \(n)-byte prefix of \(bytes.count) decoded")
            } catch {}
        }
    }

    /// Single-byte corruptions anywhere (markers, tables, EXIF, scans, chunks):
    /// each decodes or throws an ImageError.
    @Test(arguments: ["jpeg_baseline.jpg", "jpeg_exif_8.jpg", "jpeg_cmyk_adobe.jpg", "png_gray2_interlaced.png", "png_rgb16.png"])
    func corruptedBytesNeverCrash(file: String) {
        let bytes = ImageFixtures.bytes(file)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<300 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var copy = bytes
            let at = Int(state >> 33) % copy.count
            copy[at] = UInt8(truncatingIfNeeded: state >> 17)
            do { _ = try decodeImage(copy, mode: .rgb) } catch {}
        }
    }
}

@Suite struct ImageScanLimitTests {
    /// A progressive JPEG whose last scan is repeated 600 times (libjpeg only
    /// warns about the inconsistent progression) is refused after 500 scans
    /// instead of costing a full pass per scan.
    @Test func progressiveScanBombIsRefused() {
        let bytes = ImageFixtures.bytes("jpeg_progressive.jpg")
        let lastScan = bytes.indices.last { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA }!
        let scan = Array(bytes[lastScan..<(bytes.count - 2)])
        let bomb = Array(bytes[..<lastScan]) + Array(repeating: scan, count: 600).flatMap { $0 } + [0xFF, 0xD9]
        guard case .corrupt(_, .jpeg, let detail)? = imageError({ _ = try decodeImage(bomb) }) else {
            Issue.record("600 scans decoded"); return
        }
        #expect(detail.contains("more than 500 scans"))
        // The same repetition 5 times stays under the limit and decodes.
        let few = Array(bytes[..<lastScan]) + Array(repeating: scan, count: 5).flatMap { $0 } + [0xFF, 0xD9]
        #expect((try? decodeImage(few))?.shape == [3, 17, 23])
    }
}
