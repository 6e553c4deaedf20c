// EmberVision re-exports EmberCore, so `import EmberVision` alone is enough
// to build tensors for a model.

import EmberVision
import Testing

@Test func visionReexportsTheTensorCore() {
    #expect(Tensor.zeros([1, 3, 2, 2]).shape == [1, 3, 2, 2])
}
