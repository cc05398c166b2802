"""Running Askel: the trained model, Rasa's configuration, and the processes of the stack."""
