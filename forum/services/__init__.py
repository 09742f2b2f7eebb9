"""The domain: plain functions over models, called by the web site and the API alike."""
