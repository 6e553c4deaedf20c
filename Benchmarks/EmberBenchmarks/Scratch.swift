import EmberCore
import EmberNN

func runScratch() {
    let conv = Conv2d(inChannels: 64, outChannels: 64, kernelSize: (3, 3), padding: .explicit(1, 1))
    let x = Tensor.randn([8, 64, 56, 56]).requiresGrad_(), g = Tensor.randn([8, 64, 56, 56])
    bench("scratch conv fwd nograd") { _ = GradMode.noGrad { conv(x) } }
    bench("scratch conv fwd") { _ = conv(x) }
    bench("scratch conv fwd+bwd") { conv.zeroGrad(); x.zeroGrad(); conv(x).backward(g) }
    let w = conv.weight.detach()
    bench("scratch raw conv2d nograd no bias") { _ = GradMode.noGrad { x.conv2d(w, padding: (1, 1)) } }
    let a = Tensor.randn([64, 576]), b = Tensor.randn([576, 6272])
    bench("scratch gemm 64x576x6272") { _ = a.matmul(b) }
    let bt = Tensor.randn([6272, 576])
    bench("scratch gemm 64x6272 . 6272x576 (weight grad)") { _ = Tensor.randn([64,6272]).matmul(bt) }
    let bn = BatchNorm2d(64)
    let xb = Tensor.randn([8, 64, 112, 112]).requiresGrad_(), gb = Tensor.randn([8, 64, 112, 112])
    bench("scratch bn fwd") { _ = bn(xb) }
    bench("scratch bn fwd nograd") { _ = GradMode.noGrad { bn(xb) } }
    bench("scratch bn+relu fwd+bwd") { bn.zeroGrad(); xb.zeroGrad(); bn(xb).relu().backward(gb) }
}
