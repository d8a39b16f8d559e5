"""Train newsclf's default models from the bundled corpus in data/ and write them to models/.

python train.py [--data data/topics] [--models models]
"""

from newsclf.cli import train_default

if __name__ == "__main__":
    train_default()
