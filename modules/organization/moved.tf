# Where the SCP/RCP attachments moved when one attachment resource per target replaced the single
# for_each over "<policy>/<target>" (LZ-SEC-031 counts policies per target from the plan): Terraform
# carries existing state over instead of detaching and re-attaching. Keep until every state has been
# planned and applied once with them.

moved {
  from = aws_organizations_policy_attachment.authorization["scp/approved-regions/root"]
  to   = aws_organizations_policy_attachment.root["scp/approved-regions"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/protect-security-services/root"]
  to   = aws_organizations_policy_attachment.root["scp/protect-security-services"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/protect-logs-and-guardrails/root"]
  to   = aws_organizations_policy_attachment.root["scp/protect-logs-and-guardrails"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/protect-member-detective-controls/infrastructure"]
  to   = aws_organizations_policy_attachment.infrastructure["scp/protect-member-detective-controls"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/protect-member-detective-controls/workloads"]
  to   = aws_organizations_policy_attachment.workloads["scp/protect-member-detective-controls"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/protect-member-detective-controls/sandbox"]
  to   = aws_organizations_policy_attachment.sandbox["scp/protect-member-detective-controls"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/bedrock-approved-models/workloads"]
  to   = aws_organizations_policy_attachment.workloads["scp/bedrock-approved-models"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/bedrock-approved-models/sandbox"]
  to   = aws_organizations_policy_attachment.sandbox["scp/bedrock-approved-models"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/require-imdsv2/security"]
  to   = aws_organizations_policy_attachment.security["scp/require-imdsv2"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/require-imdsv2/infrastructure"]
  to   = aws_organizations_policy_attachment.infrastructure["scp/require-imdsv2"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/require-imdsv2/workloads"]
  to   = aws_organizations_policy_attachment.workloads["scp/require-imdsv2"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/require-imdsv2/sandbox"]
  to   = aws_organizations_policy_attachment.sandbox["scp/require-imdsv2"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["scp/deny-accelerated-compute/sandbox"]
  to   = aws_organizations_policy_attachment.sandbox["scp/deny-accelerated-compute"]
}

moved {
  from = aws_organizations_policy_attachment.authorization["rcp/data-perimeter/root"]
  to   = aws_organizations_policy_attachment.root["rcp/data-perimeter"]
}
