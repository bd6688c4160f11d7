"""kizashi (兆し): early signs for a think tank on science, technology and innovation for safety and security."""

__version__ = "0.1.0"
