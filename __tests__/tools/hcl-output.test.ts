/** stacks/hcl-output.ts: the two fixes that make `cdktf synth --hcl` valid, on cdktf's renderer metadata. */
import { asBlocks, escapeTemplate, fixHclAttributes } from "../../stacks/hcl-output";

describe("HCL output fixes", () => {
  it("escapes quotes and backslashes outside interpolations only", () => {
    expect(escapeTemplate('[{"name":"kafka","url":"${aws_x.y.dns}:9092"}]')).toBe('[{\\"name\\":\\"kafka\\",\\"url\\":\\"${aws_x.y.dns}:9092\\"}]');
    expect(escapeTemplate('"a\\\\nb ${lookup(m, "k")}"')).toBe('\\"a\\\\\\\\nb ${lookup(m, "k")}\\"');
    expect(escapeTemplate('"%{x}" ${a}')).toBe('\\"%%{x}\\" ${a}');
  });

  it("leaves strings cdktf already renders correctly unchanged", () => {
    for (const s of ["${jsonencode({ \"a\" = 1 })}", "plain \"quoted\" text", "${aws_x.y.arn}", 'line1 "${a}"\nline2']) expect(escapeTemplate(s)).toBe(s);
  });

  it("turns an any-typed WAF statement tree into nested blocks; scalar lists stay attributes", () => {
    const attrs = {
      rule: {
        isBlock: true,
        type: "set",
        storageClassType: "list",
        value: [{ name: { value: "geo", type: "simple", storageClassType: "string" }, statement: { value: { geo_match_statement: { country_codes: ["KP"] } }, isBlock: false, type: "simple", storageClassType: "any" } }],
      },
    };
    const fixed = fixHclAttributes("aws_wafv2_web_acl", attrs) as any;
    const statement = fixed.rule.value[0].statement;
    expect(statement).toEqual({
      isBlock: true,
      type: "list",
      storageClassType: "object",
      value: { geo_match_statement: { isBlock: true, type: "list", storageClassType: "object", value: { country_codes: ["KP"] } } },
    });
    expect(fixed.rule.value[0].name.value).toBe("geo");
  });

  it("renders a list of objects as repeated blocks", () => {
    expect(asBlocks([{ a: 1 }, { a: 2 }])).toEqual({ isBlock: true, type: "list", storageClassType: "object", value: [{ a: 1 }, { a: 2 }] });
  });

  it("does not touch statement attributes of other resource types", () => {
    const attrs = { statement: { value: { x: { y: 1 } }, isBlock: false, type: "simple", storageClassType: "any" } };
    expect(fixHclAttributes("aws_other", attrs)).toEqual(attrs);
  });
});
