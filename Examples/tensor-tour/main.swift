// A first look at Ember's tensors: creation, broadcasting, reductions and a
// matrix product, printed the way PyTorch prints them.

import EmberCore

manualSeed(0)
let x = Tensor([[1, 2, 3], [4, 5, 6]] as [[Float]])
print("x =", x)
print("x * 2 + 1 =", x * 2 + 1)
print("x + [10, 20, 30] =", x + Tensor([10, 20, 30] as [Float]))
print("x.sum(dim: 1) =", x.sum(dim: 1))
print("x.softmax(dim: -1) =", x.softmax(dim: -1))
print("x.matmul(x.t()) =", x.matmul(x.t()))
print("arange(6).reshape([2, 3]).t() =", Tensor.arange(6).reshape([2, 3]).t())
print("randn([2, 2]) =", Tensor.randn([2, 2]))
