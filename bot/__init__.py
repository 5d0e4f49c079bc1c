"""govinfo-bot: cited answers from Chinese government information-disclosure annual reports."""
