"""Lumina-mGPT exporter: Hugging Face checkpoint + Chameleon VQGAN → model bundle.

Modules: ``checkpoint`` (safetensors reading), ``decoder`` (the torch Chameleon decoder),
``onnx_assembly`` (layer-by-layer decoder.onnx with external data), ``bundle`` (manifest),
``references`` (torch reference dumps), ``tiny`` (random checkpoints), ``pipeline`` (the whole
export), ``torch_bench`` (torch speed baseline), ``onnx_numpy`` (numpy ONNX interpreter for
tests), ``int4`` (4-bit MatMulNBits weights); ``vqgan``, ``vq_export`` and ``tokenizer_gen``
hold the VQ and tokenizer halves.
"""

__version__ = "0.1.0"
