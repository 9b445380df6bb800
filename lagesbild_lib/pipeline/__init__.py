"""The machinery that makes reports: build, batch, chapter cache, warm kernels, executor, edit."""
