"""A tiny causal LM for tests: a GPT-2 with random weights and a byte-level BPE tokenizer
trained on the seeds, saved as a local Hugging Face model directory (what ``--model DIR``
takes). It runs the real loading and scoring code in a fraction of a second."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build_tiny_model(out: Path) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

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
