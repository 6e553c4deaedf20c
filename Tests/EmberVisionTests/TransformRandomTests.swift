// Random transforms: the same seed gives the same output, different seeds
// different ones, parameters stay in their ranges, and the default
// generator is the one `Generator.withDefault` installs.

import EmberVision
import Testing

@Suite struct TransformRandomTests {
    static let image = Tensor.randint(low: 0, high: 256, [3, 23, 31], generator: Generator(seed: 11)).to(.uint8)

    static let transforms: [(String, any RandomTransform)] = [
        ("RandomHorizontalFlip", RandomHorizontalFlip()),
        ("RandomVerticalFlip", RandomVerticalFlip()),
        ("RandomCrop", RandomCrop([12, 15], padding: [2], paddingMode: .reflect)),
        ("RandomResizedCrop", RandomResizedCrop(16)),
        ("RandomRotation", RandomRotation(degrees: 40, interpolation: .bilinear)),
        ("ColorJitter", ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.2)),
        ("Compose", Compose([RandomResizedCrop(20), RandomHorizontalFlip(), ColorJitter(brightness: 0.5)])),
    ]

    static func equal(_ a: Tensor, _ b: Tensor) -> Bool {
        a.shape == b.shape && a.scalars(as: Double.self) == b.scalars(as: Double.self)
    }

    @Test(arguments: 0..<transforms.count)
    func sameSeedSameOutputOtherSeedsDiffer(_ i: Int) {
        let (name, t) = Self.transforms[i]
        let a = t(Self.image, generator: Generator(seed: 42))
        let b = t(Self.image, generator: Generator(seed: 42))
        #expect(Self.equal(a, b), "\(name): two runs with seed 42 differ")
        // A flip happens or not, so one other seed may agree; eight cannot all.
        let others = (1...8).map { t(Self.image, generator: Generator(seed: UInt64($0))) }
        #expect(others.contains { !Self.equal($0, a) }, "\(name): every seed gave the same output")
    }

    @Test func defaultGeneratorIsTheScopedOne() {
        let t = RandomResizedCrop(10)
        let viaDefault = Generator.withDefault(Generator(seed: 9)) { t(Self.image) }
        #expect(Self.equal(viaDefault, t(Self.image, generator: Generator(seed: 9))))
    }

    @Test func randomResizedCropParametersStayInBounds() {
        let g = Generator(seed: 3)
        let scale = 0.08...1.0, ratio = (3.0 / 4)...(4.0 / 3)
        for (h, w) in [(23, 31), (100, 80), (7, 300)] {
            for _ in 0..<300 {
                let p = RandomResizedCrop.parameters(height: h, width: w, scale: scale, ratio: ratio, generator: g)
                #expect(p.height > 0 && p.width > 0 && p.top >= 0 && p.left >= 0)
                #expect(p.top + p.height <= h && p.left + p.width <= w, "crop \(p) outside \(h)×\(w)")
                let fallback = p.height == h || p.width == w
                if !fallback {
                    // Sizes are rounded to whole pixels, so allow half a pixel on each side.
                    let area = Double(p.height * p.width) / Double(h * w)
                    let slack = Double(p.height + p.width) / Double(h * w) + 1e-9
                    #expect(area >= scale.lowerBound - slack && area <= scale.upperBound + slack, "area \(area)")
                    let r = Double(p.width) / Double(p.height)
                    let lo = Double(p.width) / (Double(p.height) + 0.5), hi = Double(p.width) / (Double(p.height) - 0.5)
                    #expect(hi >= ratio.lowerBound * 0.999 && lo <= ratio.upperBound * 1.001, "ratio \(r)")
                }
            }
        }
    }

    @Test func randomResizedCropFallsBackToTheCentredCrop() {
        // No 1:1 crop of 90...100 % of a 10×100 image exists: torchvision's fallback.
        let p = RandomResizedCrop.parameters(height: 10, width: 100, scale: 0.9...1, ratio: 1...1,
                                             generator: Generator(seed: 0))
        #expect(p.top == 0 && p.left == 45 && p.height == 10 && p.width == 10)
        let whole = RandomResizedCrop.parameters(height: 50, width: 60, scale: 2...3, ratio: 0.5...2,
                                                 generator: Generator(seed: 0))
        #expect(whole.top == 0 && whole.left == 0 && whole.height == 50 && whole.width == 60)
    }

    @Test func randomCropPositionsCoverTheRange() {
        let g = Generator(seed: 5)
        var tops = Set<Int>(), lefts = Set<Int>()
        for _ in 0..<400 {
            let p = RandomCrop.parameters(height: 10, width: 12, size: [8, 8], generator: g)
            tops.insert(p.top)
            lefts.insert(p.left)
        }
        #expect(tops == Set(0...2) && lefts == Set(0...4))
        #expect(RandomCrop.parameters(height: 8, width: 8, size: [8], generator: g) == (0, 0))
    }

    @Test func randomCropPadsWhenNeeded() {
        // Both sides of a short dimension get the shortfall, as in torchvision.
        let y = RandomCrop([30, 40], padIfNeeded: true, fill: 9)(Self.image, generator: Generator(seed: 1))
        #expect(y.shape == [3, 30, 40])
    }

    @Test func rotationAnglesAndJitterFactorsStayInRange() {
        let g = Generator(seed: 8)
        for _ in 0..<200 {
            let a = RandomRotation.parameters(degrees: -10...25, generator: g)
            #expect(a >= -10 && a < 25)
            let p = ColorJitter.parameters(brightness: 0.6...1.4, contrast: nil, saturation: 0...2, hue: -0.1...0.1,
                                           generator: g)
            #expect(p.order.sorted() == [0, 1, 2, 3])
            #expect(p.brightness.map { $0 >= 0.6 && $0 < 1.4 } == true)
            #expect(p.contrast == nil)
            #expect(p.saturation.map { $0 >= 0 && $0 < 2 } == true)
            #expect(p.hue.map { $0 >= -0.1 && $0 < 0.1 } == true)
        }
        let j = ColorJitter(brightness: 0.5, contrast: 0, saturation: 2, hue: 0.25)
        #expect(j.brightness == 0.5...1.5 && j.contrast == nil && j.saturation == 0...3 && j.hue == -0.25...0.25)
    }

    @Test func flipProbabilityExtremes() {
        let g = Generator(seed: 1)
        #expect(Self.equal(RandomHorizontalFlip(p: 1)(Self.image, generator: g), TF.hflip(Self.image)))
        #expect(Self.equal(RandomHorizontalFlip(p: 0)(Self.image, generator: g), Self.image))
        #expect(Self.equal(RandomVerticalFlip(p: 1)(Self.image, generator: g), TF.vflip(Self.image)))
    }
}
