"""Tiny causal LMs for tests, with random weights and a byte-level BPE tokenizer trained on the
seeds, saved as local Hugging Face model directories (what ``--model DIR`` takes). They run the
real loading and scoring code in a fraction of a second: a GPT-2 (the generic padded path) and
a Gemma 3 in bf16 like the default model (the packed body)."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _tokenizer(out: Path):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))]
    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tk.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=600,
        special_tokens=["<s>", "</s>", "<pad>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tk.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tk, bos_token="<s>", eos_token="</s>", pad_token="<pad>"
    )
    fast.save_pretrained(str(out))
    return fast


def build_tiny_model(out: Path) -> Path:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    fast = _tokenizer(out)
    torch.manual_seed(0)
    cfg = GPT2Config(
        vocab_size=len(fast),
        n_positions=256,
        n_embd=32,
        n_layer=2,
        n_head=2,
        bos_token_id=fast.bos_token_id,
        eos_token_id=fast.eos_token_id,
    )
    model = GPT2LMHeadModel(cfg)
    model.save_pretrained(str(out))
    return out


def build_tiny_gemma(out: Path) -> Path:
    """A Gemma 3 text model in bf16, like the default (2 layers, hidden 64)."""
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    fast = _tokenizer(out)
    torch.manual_seed(0)
    cfg = Gemma3TextConfig(
        vocab_size=len(fast), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, head_dim=32,
        max_position_embeddings=256, sliding_window=512,
        bos_token_id=fast.bos_token_id, eos_token_id=fast.eos_token_id,
        pad_token_id=fast.pad_token_id,
    )
    Gemma3ForCausalLM(cfg).to(torch.bfloat16).save_pretrained(str(out))
    return out
