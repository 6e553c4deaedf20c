// DType, BFloat16 and the element protocols are defined beside the kernels,
// which switch over them; users see them as part of EmberCore.
@_exported import enum EmberKernels.DType
@_exported import struct EmberKernels.BFloat16
@_exported import protocol EmberKernels.TensorElement
