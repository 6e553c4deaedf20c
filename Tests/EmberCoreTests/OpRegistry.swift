// Maps the op names used by the fixture script to Ember calls, so one
// parameterized test runs every PyTorch reference case.

import EmberCore
import EmberTestSupport

typealias OpImpl = @Sendable ([Tensor], Args) -> [Tensor]

private func unary(_ f: @escaping @Sendable (Tensor) -> Tensor) -> OpImpl { { x, _ in [f(x[0])] } }
private func binary(_ f: @escaping @Sendable (Tensor, Tensor) -> Tensor) -> OpImpl { { x, _ in [f(x[0], x[1])] } }
private func reduction(_ f: @escaping @Sendable (Tensor, [Int]?, Bool, Args) -> Tensor) -> OpImpl {
    { x, a in [f(x[0], a.dims(), a.bool("keepDim"), a)] }
}

let opRegistry: [String: OpImpl] = {
    var r: [String: OpImpl] = [:]
    // Unary math and activations.
    r["exp"] = unary { $0.exp() }; r["expm1"] = unary { $0.expm1() }
    r["log"] = unary { $0.log() }; r["log1p"] = unary { $0.log1p() }; r["log2"] = unary { $0.log2() }
    r["sqrt"] = unary { $0.sqrt() }; r["rsqrt"] = unary { $0.rsqrt() }
    r["sin"] = unary { $0.sin() }; r["cos"] = unary { $0.cos() }; r["tanh"] = unary { $0.tanh() }
    r["erf"] = unary { $0.erf() }; r["sigmoid"] = unary { $0.sigmoid() }
    r["relu"] = unary { $0.relu() }; r["relu6"] = unary { $0.relu6() }
    r["gelu"] = unary { $0.gelu() }; r["gelu_tanh"] = unary { $0.gelu(approximate: .tanh) }
    r["silu"] = unary { $0.silu() }; r["softplus"] = unary { $0.softplus() }
    r["leaky_relu"] = unary { $0.leakyRelu(negativeSlope: 0.1) }; r["elu"] = unary { $0.elu(alpha: 0.7) }
    r["floor"] = unary { $0.floor() }; r["ceil"] = unary { $0.ceil() }
    r["round"] = unary { $0.round() }; r["trunc"] = unary { $0.trunc() }
    r["neg"] = unary { $0.neg() }; r["abs"] = unary { $0.abs() }; r["sign"] = unary { $0.sign() }
    r["reciprocal"] = unary { $0.reciprocal() }; r["square"] = unary { $0.square() }
    r["isnan"] = unary { $0.isnan() }; r["isinf"] = unary { $0.isinf() }; r["isfinite"] = unary { $0.isfinite() }
    r["nan_to_num"] = unary { $0.nanToNum() }
    r["clamp"] = unary { $0.clamp(min: -1.0, max: 2.0) }; r["clamp_min"] = unary { $0.clamp(min: 0.5) }

    // Binary ops.
    r["add"] = binary { $0 + $1 }; r["sub"] = binary { $0 - $1 }
    r["mul"] = binary { $0 * $1 }; r["div"] = binary { $0 / $1 }
    r["div_floor"] = binary { $0.div($1, roundingMode: .floor) }
    r["div_trunc"] = binary { $0.div($1, roundingMode: .trunc) }
    r["floor_divide"] = binary { $0.floorDivide($1) }; r["remainder"] = binary { $0.remainder($1) }
    r["pow"] = binary { $0.pow($1) }
    r["minimum"] = binary { $0.minimum($1) }; r["maximum"] = binary { $0.maximum($1) }
    r["eq"] = binary { $0.eq($1) }; r["ne"] = binary { $0.ne($1) }
    r["lt"] = binary { $0.lt($1) }; r["le"] = binary { $0.le($1) }
    r["gt"] = binary { $0.gt($1) }; r["ge"] = binary { $0.ge($1) }
    r["logical_and"] = binary { $0.logicalAnd($1) }; r["logical_or"] = binary { $0.logicalOr($1) }
    r["logical_xor"] = binary { $0.logicalXor($1) }
    r["where"] = { x, _ in [x[1].where(x[0], x[2])] }
    r["clamp_tensor"] = { x, _ in [x[0].clamp(min: x[1], max: x[2])] }
    r["add_scalar"] = { x, a in [x[0] + a.double("scalar")] }
    r["sub_scalar"] = { x, a in [x[0] - a.double("scalar")] }
    r["mul_scalar"] = { x, a in [x[0] * a.double("scalar")] }
    r["div_scalar"] = { x, a in [x[0] / a.double("scalar")] }
    r["pow_scalar"] = { x, a in [x[0].pow(a.double("scalar"))] }
    r["remainder_scalar"] = { x, a in [x[0].remainder(a.double("scalar"))] }
    r["add_scalar_int"] = { x, a in [x[0] + a.int("scalar")] }
    r["sub_scalar_int"] = { x, a in [x[0] - a.int("scalar")] }
    r["mul_scalar_int"] = { x, a in [x[0] * a.int("scalar")] }
    r["div_scalar_int"] = { x, a in [x[0] / a.int("scalar")] }
    r["pow_scalar_int"] = { x, a in [x[0].pow(a.int("scalar"))] }
    r["remainder_scalar_int"] = { x, a in [x[0].remainder(a.int("scalar"))] }

    // Reductions.
    r["sum"] = reduction { x, d, k, _ in x.sum(dims: d, keepDim: k) }
    r["mean"] = reduction { x, d, k, _ in x.mean(dims: d, keepDim: k) }
    r["prod"] = reduction { x, d, k, _ in x.prod(dims: d, keepDim: k) }
    r["amax"] = reduction { x, d, k, _ in x.amax(dims: d, keepDim: k) }
    r["amin"] = reduction { x, d, k, _ in x.amin(dims: d, keepDim: k) }
    r["var"] = reduction { x, d, k, _ in x.variance(dims: d, keepDim: k) }
    r["std"] = reduction { x, d, k, a in x.std(dims: d, correction: a.int("correction"), keepDim: k) }
    r["logsumexp"] = reduction { x, d, k, _ in x.logsumexp(dims: d ?? Array(0..<x.rank), keepDim: k) }
    r["norm1"] = reduction { x, d, k, _ in x.norm(p: 1, dims: d, keepDim: k) }
    r["norm2"] = reduction { x, d, k, _ in x.norm(p: 2, dims: d, keepDim: k) }
    r["norminf"] = reduction { x, d, k, _ in x.norm(p: .infinity, dims: d, keepDim: k) }
    r["all"] = reduction { x, d, k, _ in x.all(dims: d, keepDim: k) }
    r["any"] = reduction { x, d, k, _ in x.any(dims: d, keepDim: k) }
    r["max_dim"] = { x, a in let m = x[0].max(dim: a.int("dim"), keepDim: a.bool("keepDim")); return [m.values, m.indices] }
    r["min_dim"] = { x, a in let m = x[0].min(dim: a.int("dim"), keepDim: a.bool("keepDim")); return [m.values, m.indices] }
    r["argmax"] = { x, a in [x[0].argmax(dim: a.int("dim"), keepDim: a.bool("keepDim"))] }
    r["argmin"] = { x, a in [x[0].argmin(dim: a.int("dim"), keepDim: a.bool("keepDim"))] }
    r["argmax_flat"] = unary { $0.argmax() }; r["argmin_flat"] = unary { $0.argmin() }
    r["cumsum"] = { x, a in [x[0].cumsum(dim: a.int("dim"))] }
    r["softmax"] = { x, a in [x[0].softmax(dim: a.int("dim"))] }
    r["log_softmax"] = { x, a in [x[0].logSoftmax(dim: a.int("dim"))] }

    // Linear algebra.
    r["matmul"] = binary { $0.matmul($1) }; r["mm"] = binary { $0.mm($1) }; r["bmm"] = binary { $0.bmm($1) }
    r["outer"] = binary { $0.outer($1) }; r["dot"] = binary { $0.dot($1) }
    r["addmm"] = { x, a in [x[0].addmm(x[1], x[2], beta: a.double("beta"), alpha: a.double("alpha"))] }

    // Views and conversion.
    r["reshape"] = { x, a in [x[0].reshape(a.ints("shape"))] }
    r["permute"] = { x, a in [x[0].permute(a.ints("dims"))] }
    r["transpose"] = { x, a in [x[0].transpose(a.int("dim0"), a.int("dim1"))] }
    r["t"] = unary { $0.t() }
    r["narrow"] = { x, a in [x[0].narrow(dim: a.int("dim"), start: a.int("start"), length: a.int("length"))] }
    r["slice"] = { x, a in [x[0].slice(dim: a.int("dim"), start: a.int("start"), end: a.int("end"), step: a.int("step"))] }
    r["select"] = { x, a in [x[0].select(dim: a.int("dim"), index: a.int("index"))] }
    r["flatten"] = { x, a in [x[0].flatten(startDim: a.int("startDim"), endDim: a.int("endDim"))] }
    r["unflatten"] = { x, a in [x[0].unflatten(dim: a.int("dim"), sizes: a.ints("sizes"))] }
    r["squeeze"] = unary { $0.squeeze() }
    r["squeeze_dim"] = { x, a in [x[0].squeeze(dim: a.int("dim"))] }
    r["unsqueeze"] = { x, a in [x[0].unsqueeze(a.int("dim"))] }
    r["expand"] = { x, a in [x[0].expand(a.ints("shape"))] }
    r["split"] = { x, a in x[0].split(a.int("size"), dim: a.int("dim")) }
    r["split_sizes"] = { x, a in x[0].split(sizes: a.ints("sizes"), dim: a.int("dim")) }
    r["chunk"] = { x, a in x[0].chunk(a.int("chunks"), dim: a.int("dim")) }
    r["movedim"] = { x, a in [x[0].movedim(a.int("source"), a.int("destination"))] }
    r["contiguous"] = unary { $0.contiguous() }
    r["to"] = { x, a in [x[0].to(a.dtype())] }

    // Creation.
    r["arange"] = { _, a in [Tensor.arange(a.double("start"), a.double("end"), step: a.double("step"))] }
    r["linspace"] = { _, a in [Tensor.linspace(a.double("start"), a.double("end"), steps: a.int("steps"))] }
    r["eye"] = { _, a in [Tensor.eye(a.int("n"), a.int("m"))] }
    r["full"] = { _, a in [Tensor.full(a.ints("shape"), a.double("value"), dtype: a.dtype())] }
    // Indexing.
    r["index_select"] = { x, a in [x[0].indexSelect(dim: a.int("dim"), index: x[1])] }
    r["gather"] = { x, a in [x[0].gather(dim: a.int("dim"), index: x[1])] }
    r["take_along_dim"] = { x, a in [x[0].takeAlongDim(x[1], dim: a.int("dim"))] }
    r["scatter"] = { x, a in [x[0].scatter(dim: a.int("dim"), index: x[1], src: x[2])] }
    r["scatter_add"] = { x, a in [x[0].scatterAdd(dim: a.int("dim"), index: x[1], src: x[2])] }
    r["masked_fill"] = { x, a in [x[0].maskedFill(x[1], a.number("value"))] }
    r["masked_select"] = binary { $0.maskedSelect($1) }
    r["bool_index"] = binary { $0[$1] }
    r["int_index"] = binary { $0[$1] }
    r["nonzero"] = unary { $0.nonzero() }

    // Joining.
    r["cat"] = { x, a in [Tensor.cat(x, dim: a.int("dim"))] }
    r["stack"] = { x, a in [Tensor.stack(x, dim: a.int("dim"))] }
    r["pad"] = { x, a in
        let mode: PaddingMode = switch a.string("mode") {
        case "reflect": .reflect
        case "replicate": .replicate
        case "circular": .circular
        default: .constant(a.number("value"))
        }
        return [x[0].pad(a.ints("pads"), mode: mode)]
    }
    r["flip"] = { x, a in [x[0].flip(a.ints("dims"))] }
    r["roll"] = { x, a in [x[0].roll(a.ints("shifts"), dims: a.ints("dims"))] }
    r["repeat"] = { x, a in [x[0].repeat(a.ints("sizes"))] }
    r["tile"] = { x, a in [x[0].tile(a.ints("sizes"))] }
    r["tril"] = { x, a in [x[0].tril(diagonal: a.int("diagonal"))] }
    r["triu"] = { x, a in [x[0].triu(diagonal: a.int("diagonal"))] }
    r["one_hot"] = { x, a in [x[0].oneHot(numClasses: a.int("numClasses"))] }

    // Sorting.
    r["sort"] = { x, a in let s = x[0].sort(dim: a.int("dim"), descending: a.bool("descending")); return [s.values, s.indices] }
    r["argsort"] = { x, a in [x[0].argsort(dim: a.int("dim"), descending: a.bool("descending"))] }
    r["topk"] = { x, a in let t = x[0].topk(a.int("k"), dim: a.int("dim"), largest: a.bool("largest")); return [t.values, t.indices] }
    return r
}()
