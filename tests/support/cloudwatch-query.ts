import { XMLParser } from 'fast-xml-parser';

/**
 * GetDashboard against the emulator. The AWS SDK's CloudWatch client now speaks the JSON protocol,
 * which moto 5.2 does not implement for CloudWatch ("Unsupported protocol [json] for service
 * cloudwatch"); moto still answers the Query protocol, so this test helper sends that. moto routes
 * by the credential scope and does not check the signature.
 */
export async function getDashboard(
  endpoint: string,
  name: string,
): Promise<{ name: string; body: string }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({
      Action: 'GetDashboard',
      Version: '2010-08-01',
      DashboardName: name,
    }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GetDashboard ${name} failed (${response.status}): ${text}`);
  const parsed = new XMLParser({ parseTagValue: false }).parse(text) as {
    GetDashboardResponse?: {
      GetDashboardResult?: { DashboardName?: string; DashboardBody?: string };
    };
  };
  const result = parsed.GetDashboardResponse?.GetDashboardResult;
  if (!result?.DashboardBody) throw new Error(`GetDashboard ${name} returned no body: ${text}`);
  return { name: result.DashboardName ?? '', body: result.DashboardBody };
}
