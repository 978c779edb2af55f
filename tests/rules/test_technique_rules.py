"""The technique rules (rules/labels/technique/*.yml) on invented titles and abstracts.

Every technique label and child has positive examples (the label is tagged) and negative
ones (it is not), including the borderline cases of LABELS.md: pruning of data, rollouts and
tokens; score distillation, dataset distillation and figurative "distilling"; hash-code and
vector quantization; key-value memories; LoRA used in passing; the low-rank of LoRA.
The sentences are written for these tests, not taken from the corpus.
"""

from __future__ import annotations

import pytest

from papertag.rules.engine import expand_in_predicates

T = "technique/"

# (label, title, abstract): the label must be among the tags.
POSITIVE = [
    # ---------------------------------------------------------------- quantization
    ("quantization", "Outlier-Free Low-Bit Quantization of Large Language Models",
     "We quantize the weights and activations of LLMs to 4 bits with a learned rotation."),
    ("quantization", "Compressing Vision Transformers for Edge Devices",
     "We propose a quantization scheme for ViTs. The quantized model runs at INT8 on a phone "
     "with a 3x speedup."),
    ("quantization", "Fast Inference of Diffusion Models in W4A8",
     "We study how to run text-to-image diffusion models in W4A8 without losing image quality."),
    ("quantization/post_training", "Calibration Matters for Post-Training Quantization of LLMs",
     "We show that the choice of calibration data changes the accuracy of quantized models."),
    ("quantization/post_training", "Rotate, Then Round",
     "Our method improves on GPTQ and AWQ for 3-bit weight-only quantization of LLaMA models, "
     "reducing memory by 5x."),
    ("quantization/quantization_aware", "Oscillation-Free Quantization-Aware Training",
     "Weights oscillate around rounding boundaries during QAT; we propose a damping term that "
     "stabilizes low-bit training of MobileNets."),
    ("quantization/quantization_aware", "Learning Step Sizes for 2-bit Networks",
     "We propose to train quantized networks with a learnable step size and quantization-aware "
     "fine-tuning, reaching full-precision accuracy at 2-bit weights."),
    ("quantization/binarization", "Closing the Accuracy Gap of Binary Neural Networks",
     "We binarize both weights and activations and introduce a learnable threshold, reducing "
     "the memory footprint by 32x."),
    ("quantization/binarization", "Ternary Weights for Efficient Language Models",
     "We train 1.58-bit LLMs with ternary weights and match the quality of FP16 models."),
    ("quantization/mixed_precision", "Sensitivity-Guided Mixed-Precision Quantization",
     "We allocate a different bit-width to each layer under a latency budget."),
    ("quantization/mixed_precision", "Bit Allocation by Reinforcement Learning",
     "We propose a search over per-layer bit-width for quantized CNNs that reduces latency on "
     "mobile CPUs."),
    ("quantization/low_bit_training", "Stable FP8 Training of Large Transformers",
     "We pre-train a 7B model with FP8 training and match the BF16 baseline while cutting cost."),
    ("quantization/low_bit_training", "Low-Precision Training with Quantized Gradients",
     "We quantize the gradient to 4 bits in backpropagation and train ResNets faster."),
    # ---------------------------------------------------------------- pruning
    ("pruning", "Pruning Large Language Models in One Shot",
     "We prune 50% of the weights of LLaMA without retraining and keep its perplexity."),
    ("pruning", "Sparse Networks that Train Fast",
     "We propose a sparse training method that keeps 90% sparsity throughout training."),
    ("pruning/unstructured", "Magnitude Pruning Revisited",
     "We show that unstructured pruning by magnitude, with a short fine-tuning, beats recent "
     "criteria for compressing ResNets."),
    ("pruning/unstructured", "Winning Tickets in Vision Transformers",
     "We test the lottery ticket hypothesis on ViTs and find sparse subnetworks that train to "
     "full accuracy, reducing parameters by 80%."),
    ("pruning/structured", "Channel Pruning with Learned Gates",
     "We remove redundant channels from CNNs and obtain a 2x speedup on GPUs."),
    ("pruning/structured", "Which Layers Can We Drop?",
     "We propose a layer pruning method that removes whole transformer blocks from LLMs, "
     "reducing latency by 30%."),
    ("pruning/n_m_sparsity", "Learning 2:4 Sparse Masks for LLMs",
     "We learn semi-structured sparsity masks that run on sparse tensor cores."),
    ("pruning/n_m_sparsity", "Accelerating Inference with N:M Sparsity",
     "We propose a method to train N:M sparse transformers that achieves a 1.7x speedup."),
    # ---------------------------------------------------------------- distillation
    ("distillation", "Distilling a Large Detector into a Lightweight Student",
     "We propose a knowledge distillation method that transfers knowledge from the teacher to a "
     "compact student that runs in real time."),
    ("distillation", "Smaller Models, Same Accuracy",
     "We distill a 7B language model into a smaller model with one tenth of the parameters."),
    ("distillation/feature", "Feature Distillation for Compact Segmentation Networks",
     "We propose to align the student's intermediate features with the teacher's feature maps, "
     "obtaining a compact student that is 3x faster."),
    ("distillation/feature", "Relational Knowledge Distillation Revisited",
     "Our method transfers relations between samples, via relational knowledge distillation "
     "and attention transfer, from a large teacher to a small student."),
    ("distillation/logit", "Decoupling the Logits in Knowledge Distillation",
     "We propose a logit distillation loss that separates target and non-target classes when "
     "training a small student network, which is 4x faster than the teacher."),
    ("distillation/logit", "On-Policy Distillation for Small Language Models",
     "We study on-policy distillation with a reverse KL objective to compress an LLM into a "
     "smaller student."),
    ("distillation/self", "Be Your Own Teacher: Self-Distillation for Efficient Networks",
     "We propose a self-distillation framework where the deepest layer teaches the shallow "
     "classifiers, cutting inference cost."),
    ("distillation/self", "Self-Knowledge Distillation without a Teacher",
     "This work trains a network using self-knowledge distillation from its own earlier "
     "checkpoints, improving compact models."),
    ("distillation/data_free", "Data-Free Knowledge Distillation with Generative Inversion",
     "We propose data-free distillation that synthesizes inputs from the teacher to train a "
     "compact student."),
    ("distillation/data_free", "Compressing Models without Their Training Data",
     "We study zero-shot knowledge distillation into a compact student, without access to "
     "the original training data."),
    # ---------------------------------------------------------------- nas
    ("nas", "Hardware-Aware Neural Architecture Search for Microcontrollers",
     "We search for efficient architectures under a memory budget."),
    ("nas", "A Better Supernet for One-Shot NAS",
     "We train a weight-sharing supernet and sample subnets for different latency budgets."),
    ("nas", "Once-for-All Networks for Many Devices",
     "We train one network and specialize subnets for each device without retraining."),
    # ---------------------------------------------------------------- low rank
    ("low_rank", "SVD-Based Compression of Large Language Models",
     "We propose a truncation-aware low-rank decomposition of the weight matrices that "
     "reduces parameters by 40%."),
    ("low_rank", "Low-Rank Compression of Convolutional Layers",
     "We factorize the weight matrices of each layer and speed up inference by 2x."),
    # ---------------------------------------------------------------- peft
    ("peft", "A Study of Parameter-Efficient Fine-Tuning for Code Models",
     "We compare PEFT methods that train only a small number of parameters."),
    ("peft", "BitFit for Vision",
     "We propose to fine-tune only a small subset of parameters (the biases) of the frozen "
     "backbone and reduce the cost of adaptation."),
    ("peft/lora", "Better Initialization for LoRA",
     "We propose an initialization of the low-rank adapter matrices that speeds up LoRA "
     "fine-tuning of LLMs."),
    ("peft/lora", "QLoRA on a Single GPU",
     "We show how to fine-tune a 65B model with QLoRA and LoRA adapters in 48 GB of memory."),
    ("peft/adapter", "Adapter Tuning for Multilingual Speech Recognition",
     "We insert lightweight adapter modules into a frozen encoder and train only those, "
     "which is parameter-efficient."),
    ("peft/adapter", "Bottleneck Adapters for Vision Transformers",
     "We propose parallel adapters for ViTs that reach full fine-tuning accuracy with 1% of "
     "the trainable parameters."),
    ("peft/prompt_tuning", "Visual Prompt Tuning for Medical Images",
     "We learn a few prompt tokens with the backbone frozen, a parameter-efficient approach."),
    ("peft/prompt_tuning", "Prefix-Tuning for Dialogue",
     "We propose prefix tuning with learnable prefix vectors for efficient adaptation of "
     "dialogue models."),
    # ---------------------------------------------------------------- token reduction
    ("token_reduction", "Visual Token Compression for Faster Multimodal LLMs",
     "We reduce the number of visual tokens fed to the language model by 75%."),
    ("token_reduction", "Shorter Prompts, Same Answers",
     "We propose a prompt compression method that cuts inference cost of LLMs by 3x."),
    ("token_reduction/pruning", "Training-Free Token Pruning for Video LLMs",
     "We prune redundant visual tokens after the second layer, reducing FLOPs by 60%."),
    ("token_reduction/pruning", "Dropping Patches to Speed up ViTs",
     "We propose to discard uninformative tokens at each stage of the vision transformer, "
     "accelerating inference."),
    ("token_reduction/merging", "Token Merging for Diffusion Transformers",
     "We merge similar tokens before each attention block and speed up generation by 2x."),
    ("token_reduction/merging", "Better Matching for ToMe",
     "We improve ToMe with a new similarity and merge redundant tokens more accurately, "
     "increasing throughput."),
    # ---------------------------------------------------------------- kv cache
    ("kv_cache", "Compressing the KV Cache of Long-Context LLMs",
     "We propose a method that reduces KV cache memory by 8x."),
    ("kv_cache", "Sharing Key-Value Caches across Layers",
     "We propose cross-layer KV sharing to reduce the memory of long-context inference."),
    ("kv_cache/eviction", "Heavy-Hitter Guided KV Cache Eviction",
     "We propose an eviction policy that keeps only important tokens in the cache, "
     "reducing memory."),
    ("kv_cache/eviction", "Attention-Aware Token Eviction for Long Generation",
     "We evict less important KV entries under a fixed KV budget and keep accuracy, "
     "improving throughput."),
    ("kv_cache/quantization", "2-bit KV Cache Quantization",
     "We quantize the key and value cache per channel and per token, reducing memory."),
    ("kv_cache/quantization", "Long Contexts on One GPU",
     "We propose KV cache quantization to 4 bits with outlier handling, which reduces memory "
     "by 4x."),
    # ---------------------------------------------------------------- dynamic inference
    ("dynamic_inference", "Early Exiting for Efficient BERT Inference",
     "We attach internal classifiers and exit early when a prediction is confident."),
    ("dynamic_inference", "Adaptive Depth for Vision Transformers",
     "We propose layer skipping conditioned on the input, reducing average FLOPs by 40%."),
    # ---------------------------------------------------------------- caching
    ("caching", "Feature Caching for Diffusion Transformers",
     "We cache and reuse intermediate features across adjacent denoising steps for a 2x "
     "speedup."),
    ("caching", "Semantic Caching for LLM Serving",
     "We propose a semantic cache that answers repeated queries without calling the model, "
     "which reduces cost."),
    # ---------------------------------------------------------------- efficient architecture
    ("efficient_architecture", "A Lightweight Network for Real-Time Segmentation",
     "We design a lightweight backbone with depthwise separable convolutions for mobile "
     "devices."),
    ("efficient_architecture", "Linear Attention for High-Resolution Vision",
     "We propose an efficient attention with linear complexity in the number of tokens."),
    # ---------------------------------------------------------------- memory optimization
    ("memory_optimization", "Selective Activation Recomputation for Long Sequences",
     "We propose gradient checkpointing that recomputes only cheap operators, reducing "
     "activation memory."),
    ("memory_optimization", "Running 70B Models on a Laptop",
     "We propose CPU offloading of expert weights and overlap transfers with compute."),
    # ---------------------------------------------------------------- efficient training
    ("efficient_training", "Data Pruning for Faster Pre-training",
     "We prune redundant samples from the pre-training corpus and reduce training cost "
     "by 30%."),
    ("efficient_training", "Accelerating RL Training of Reasoning Models",
     "We propose to prune uninformative rollouts during GRPO, which speeds up training by 1.8x."),
    ("efficient_training", "Dataset Distillation at Scale",
     "We condense a large dataset into a small synthetic one that trains models at a fraction "
     "of the cost."),
    # ---------------------------------------------------------------- efficient decoding
    ("efficient_decoding", "Curing Overthinking in Reasoning Models",
     "We propose a length penalty that shortens the reasoning chains of LLMs and makes "
     "efficient reasoning possible."),
    ("efficient_decoding", "Lookahead Decoding without a Draft Model",
     "We propose a parallel decoding method based on Jacobi iterations that speeds up "
     "generation."),
    ("efficient_decoding/speculative", "Faster LLM Inference with Speculative Decoding",
     "A small draft model proposes tokens that the target model verifies in parallel."),
    ("efficient_decoding/speculative", "Better Draft Heads",
     "We improve Medusa and EAGLE draft heads and raise the acceptance length, for a 3x "
     "speedup."),
]

# (label, title, abstract): the label must NOT be among the tags.
NEGATIVE = [
    # quantization: hash codes, VQ tokens, quanta, codecs
    ("quantization", "Deep Supervised Hashing with Product Quantization",
     "We learn compact binary codes and a product quantization of the features for fast "
     "image retrieval."),
    ("quantization", "A VQ-VAE Tokenizer for Video Generation",
     "We use vector quantization to turn each frame into discrete tokens for an "
     "autoregressive model."),
    ("quantization", "The Quanta of Skills in Language Models",
     "We argue that model abilities come in discrete quanta learned in order of frequency."),
    ("quantization", "Learned Image Compression with Entropy Models",
     "We quantize the latent representation and code it with a learned entropy model to "
     "reach a better rate-distortion trade-off."),
    ("quantization/binarization", "Bayesian Neural Networks for Uncertainty",
     "We propose a variational BNN whose posterior is tractable."),
    ("quantization/post_training", "Oscillation-Free Quantization-Aware Training",
     "Weights oscillate around rounding boundaries during QAT; we propose a damping term that "
     "stabilizes low-bit training of MobileNets."),
    ("quantization/quantization_aware", "Calibration Matters for Post-Training Quantization of LLMs",
     "We show that the choice of calibration data changes the accuracy of quantized models."),
    ("quantization/low_bit_training", "Rotate, Then Round",
     "Our method improves on GPTQ and AWQ for 3-bit weight-only quantization of LLaMA models, "
     "reducing memory by 5x."),
    ("quantization/mixed_precision", "Mixed-Precision Training with Loss Scaling",
     "We train in mixed precision and scale the loss to avoid underflow."),
    # pruning: data, rollouts, tokens, search trees
    ("pruning", "Data Pruning for Faster Pre-training",
     "We prune redundant samples from the pre-training corpus and reduce training cost "
     "by 30%."),
    ("pruning", "Accelerating RL Training of Reasoning Models",
     "We propose to prune uninformative rollouts during GRPO, which speeds up training by 1.8x."),
    ("pruning", "Training-Free Token Pruning for Video LLMs",
     "We prune redundant visual tokens after the second layer, reducing FLOPs by 60%."),
    ("pruning", "Pruning the Search Tree in Monte Carlo Planning",
     "We prune branches of the search tree with a learned value bound."),
    ("pruning", "Prompt Pruning for Cheaper In-Context Learning",
     "We prune demonstrations from the prompt to shorten it."),
    ("pruning/structured", "Magnitude Pruning Revisited",
     "We show that unstructured pruning by magnitude, with a short fine-tuning, beats recent "
     "criteria for compressing ResNets."),
    ("pruning/unstructured", "Which Layers Can We Drop?",
     "We propose a layer pruning method that removes whole transformer blocks from LLMs, "
     "reducing latency by 30%."),
    ("pruning/n_m_sparsity", "Channel Pruning with Learned Gates",
     "We remove redundant channels from CNNs and obtain a 2x speedup on GPUs."),
    # distillation: SDS, dataset distillation, figurative
    ("distillation", "Text-to-3D Generation with Better Score Distillation",
     "We improve score distillation sampling (SDS) to optimize a NeRF from a 2D diffusion "
     "model."),
    ("distillation", "Dataset Distillation at Scale",
     "We condense a large dataset into a small synthetic one that trains models at a fraction "
     "of the cost."),
    ("distillation", "Lessons from Ten Years of Benchmarks",
     "We distill key insights from hundreds of papers into practical principles for "
     "evaluation."),
    ("distillation", "Semi-Supervised Segmentation with a Mean Teacher",
     "A mean teacher produces pseudo-labels for unlabeled images, and the student learns from "
     "them."),
    ("distillation/self", "Decoupling the Logits in Knowledge Distillation",
     "We propose a logit distillation loss that separates target and non-target classes when "
     "training a small student network."),
    ("distillation/data_free", "Distilling a Large Detector into a Lightweight Student",
     "We propose a knowledge distillation method that transfers knowledge from the teacher to a "
     "compact student that runs in real time."),
    ("distillation/feature", "On-Policy Distillation for Small Language Models",
     "We study on-policy distillation with a reverse KL objective to compress an LLM into a "
     "smaller student."),
    ("distillation/logit", "Feature Distillation for Compact Segmentation Networks",
     "We propose to align the student's intermediate features with the teacher's feature maps, "
     "obtaining a compact student that is 3x faster."),
    # nas
    ("nas", "Searching for Relevant Passages in Long Documents",
     "We search a large search space of candidate passages with beam search."),
    ("nas", "NAS Scoring of Liver Biopsies",
     "We predict the NAFLD activity score (NAS) from histology slides."),
    # low rank: LoRA, matrix completion
    ("low_rank", "Better Initialization for LoRA",
     "We propose an initialization of the low-rank adapter matrices that speeds up LoRA "
     "fine-tuning of LLMs."),
    ("low_rank", "Fine-Tuning with Low-Rank Adaptation",
     "We propose a low-rank adaptation method that reduces the number of trainable "
     "parameters."),
    ("low_rank", "Robust Low-Rank Matrix Completion",
     "We recover a low-rank matrix from a few noisy entries with a nonconvex low-rank "
     "factorization."),
    # peft: LoRA in passing, spatial prompts
    ("peft", "A Benchmark for Chart Understanding",
     "We collect 10k charts with questions. As a baseline, we fine-tune LLaVA with LoRA on the "
     "training split. Results show large gaps to human accuracy."),
    ("peft/lora", "Radiology Report Generation with Retrieval",
     "We retrieve similar reports and fine-tune a language model using LoRA to write the "
     "findings section."),
    ("peft/prompt_tuning", "Interactive Segmentation with Point Prompts",
     "Segment Anything takes point and box prompts; we study click strategies."),
    ("peft/adapter", "Personalized Image Generation with IP-Adapter",
     "We condition a diffusion model on a reference face through an IP-Adapter."),
    ("peft/adapter", "Better Initialization for LoRA",
     "We propose an initialization of the low-rank adapter matrices that speeds up LoRA "
     "fine-tuning of LLMs."),
    # token reduction
    ("token_reduction", "Reducing Hallucination in Captioning",
     "We propose a decoding strategy that reduces hallucinated objects in captions."),
    ("token_reduction/merging", "Training-Free Token Pruning for Video LLMs",
     "We prune redundant visual tokens after the second layer, reducing FLOPs by 60%."),
    ("token_reduction/pruning", "Token Merging for Diffusion Transformers",
     "We merge similar tokens before each attention block and speed up generation by 2x."),
    # kv cache: key-value memory
    ("kv_cache", "Key-Value Memory Networks for Question Answering",
     "A key-value memory stores facts as key-value pairs that the reader attends over."),
    ("kv_cache", "Transformer Feed-Forward Layers Are Key-Value Memories",
     "We show that feed-forward layers act as key-value memories storing knowledge."),
    ("kv_cache/quantization", "Heavy-Hitter Guided KV Cache Eviction",
     "We propose an eviction policy that keeps only important tokens in the cache, "
     "reducing memory."),
    ("kv_cache/eviction", "2-bit KV Cache Quantization",
     "We quantize the key and value cache per channel and per token, reducing memory."),
    # dynamic inference
    ("dynamic_inference", "Dynamic Routing Between Capsules",
     "Capsules use dynamic routing between layers to encode part-whole relations."),
    ("dynamic_inference", "Stop Thinking Early: Efficient Reasoning",
     "We early exit the chain-of-thought of reasoning models once the answer is stable."),
    # caching
    ("caching", "Compressing the KV Cache of Long-Context LLMs",
     "We propose a method that reduces KV cache memory by 8x."),
    ("caching", "Training-Free Test-Time Adaptation with a Feature Cache",
     "We keep a dynamic cache of confident test features to adapt CLIP at test time."),
    # efficient architecture
    ("efficient_architecture", "A Lightweight Plug-in Module for Better Grounding",
     "We add a lightweight adapter to the detector to improve grounding accuracy."),
    ("efficient_architecture", "Mamba for Medical Image Segmentation",
     "We build a U-shaped Mamba network for lesion segmentation and outperform CNNs."),
    # memory optimization
    ("memory_optimization", "Mobile Edge Computing with Task Offloading",
     "Users offload tasks to edge servers to save energy."),
    ("memory_optimization", "Agents that Offload Reasoning to Tools",
     "The language model offloads arithmetic to a calculator."),
    # efficient training
    ("efficient_training", "Learning with Noisy Labels by Sample Selection",
     "We select clean samples with small loss to train robust classifiers."),
    ("efficient_training", "Fine-Tuning with Low-Rank Adaptation",
     "We propose a parameter-efficient training method that reduces the number of trainable "
     "parameters."),
    # efficient decoding
    ("efficient_decoding", "Writing the First Draft with an LLM",
     "We study how students revise a first draft written by a language model."),
    ("efficient_decoding/speculative", "Curing Overthinking in Reasoning Models",
     "We propose a length penalty that shortens the reasoning chains of LLMs and makes "
     "efficient reasoning possible."),
]

# Papers that are not about efficiency get no technique from a tool used in passing.
IN_PASSING = [
    ("A Dataset of Annotated Bird Songs",
     "We release 20 hours of bird songs with species labels. We fine-tune a transformer with "
     "LoRA as a baseline and report accuracy per species."),
    ("Continual Learning with Distillation",
     "To mitigate catastrophic forgetting, we add a knowledge distillation loss between the "
     "old and new model in class-incremental learning."),
    ("Explaining Image Classifiers",
     "We propose saliency maps for CNNs. Quantization of the saliency values is used only for "
     "visualization."),
]


def _id(row: tuple[str, str, str]) -> str:
    return f"{row[0]}: {row[1][:40]}"


@pytest.mark.parametrize("label, title, abstract", POSITIVE, ids=[_id(r) for r in POSITIVE])
def test_positive(tag, label, title, abstract):
    assert T + label in tag(title, abstract)


@pytest.mark.parametrize("label, title, abstract", NEGATIVE, ids=[_id(r) for r in NEGATIVE])
def test_negative(tag, label, title, abstract):
    assert T + label not in tag(title, abstract)


@pytest.mark.parametrize("title, abstract", IN_PASSING, ids=[r[0][:40] for r in IN_PASSING])
def test_tool_used_in_passing_is_not_a_technique(tag, title, abstract):
    assert not {t for t in tag(title, abstract) if t.startswith(T)}


def test_a_child_implies_its_parent(tag):
    tags = tag("Post-Training Quantization of Vision Transformers")
    assert {T + "quantization/post_training", T + "quantization"} <= tags


def test_tables_cover_every_technique_label(taxonomy):
    labels = {k[len(T):] for k in taxonomy.keys if k.startswith(T)}
    assert labels <= {r[0] for r in POSITIVE}
    assert labels <= {r[0] for r in NEGATIVE}
    assert all(sum(r[0] == lab for r in POSITIVE) >= 2 for lab in labels)


def test_every_technique_label_has_a_rule(engine, taxonomy):
    covered = {lab for r in engine.ruleset.rules if not r.veto for lab in r.labels}
    missing = [k for k in taxonomy.keys if k.startswith(T) and k not in covered]
    assert not missing


def test_technique_rules_keep_token_patterns_few(engine):
    # The Matcher's cost grows with the number of token patterns (phrase patterns are almost
    # free), so technique rules use phrase patterns wherever they can.
    n = sum(len(expand_in_predicates(p)) for r in engine.ruleset.rules
            if any(lab.startswith(T) for lab in r.labels)
            for p in r.patterns if isinstance(p, list))
    assert n <= 12
