import EmberCore
import EmberNN
import EmberOptim

func runScratch() {
    let x = Tensor.randn([8, 64, 56, 56]), gy = Tensor.randn([8, 64, 56, 56])
    let wc = Tensor.randn([64, 64, 3, 3])
    bench("scratch conv fwd raw") { _ = GradMode.noGrad { x.conv2d(wc, padding: (1, 1)) } }
    let xg = x.clone().requiresGrad_(), wg = wc.clone().requiresGrad_()
    bench("scratch conv fwd+bwd input only") { xg.zeroGrad(); x.conv2d(wc, padding: (1, 1)); xg.conv2d(wc, padding: (1, 1)).backward(gy) }
    bench("scratch conv fwd+bwd weight only") { wg.zeroGrad(); x.conv2d(wg, padding: (1, 1)).backward(gy) }
    let w2 = Tensor.randn([576, 64]), g2 = Tensor.randn([64, 3136])
    bench("scratch igrad gemm per image 576x64x3136") { _ = w2.matmul(g2) }
    let c2 = Tensor.randn([576, 3136])
    bench("scratch wgrad gemm per image 64x3136x576") { _ = g2.matmul(c2.t()) }
}
