"""TikTok's dialect: its webhooks, their signature and the API for Business's comments."""
