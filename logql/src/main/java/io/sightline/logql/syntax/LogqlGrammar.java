package io.sightline.logql.syntax;

import io.sightline.core.model.LabelMatcher;
import io.sightline.logql.syntax.BinOpOptions.Cardinality;
import io.sightline.logql.syntax.LabelFilter.Op;
import io.sightline.logql.syntax.LogSelectorExpr.MatchersExpr;
import io.sightline.logql.syntax.LogSelectorExpr.PipelineExpr;
import io.sightline.logql.syntax.SampleExpr.Grouping;
import io.sightline.logql.syntax.StageExpr.LabelExtraction;
import io.sightline.logql.syntax.StageExpr.LabelFormat;
import io.sightline.logql.syntax.StageExpr.NamedMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LogQL's grammar, rule for rule as Loki's {@code syntax.y} declares it (the order of tokens and rules decides
 * goyacc's tables and so the expected tokens in error messages), with actions that build the AST the way Loki's
 * do, including the checks Loki makes while reducing.
 */
final class LogqlGrammar {
  private LogqlGrammar() {}

  /** Terminal numbers by name, for the lexer. */
  static final class T {
    static final Map<String, Integer> IDS = new HashMap<>();
    static int BYTES;
    static int IDENTIFIER;
    static int STRING;
    static int NUMBER;
    static int FUNCTION_FLAG;
    static int DURATION;
    static int RANGE;

    static int id(String name) {
      Integer t = IDS.get(name);
      if (t == null) {
        throw new IllegalStateException("no token " + name);
      }
      return t;
    }
  }

  private static final String[] TOKENS = (
      "BYTES IDENTIFIER STRING NUMBER FUNCTION_FLAG DURATION RANGE MATCHERS LABELS EQ RE NRE NPA OPEN_BRACE "
      + "CLOSE_BRACE OPEN_BRACKET CLOSE_BRACKET COMMA DOT PIPE_MATCH PIPE_EXACT PIPE_PATTERN OPEN_PARENTHESIS "
      + "CLOSE_PARENTHESIS BY WITHOUT COUNT_OVER_TIME RATE RATE_COUNTER SUM SORT SORT_DESC AVG MAX MIN COUNT STDDEV "
      + "STDVAR BOTTOMK TOPK APPROX_TOPK BYTES_OVER_TIME BYTES_RATE BOOL JSON REGEXP LOGFMT PIPE LINE_FMT LABEL_FMT "
      + "UNWRAP AVG_OVER_TIME SUM_OVER_TIME MIN_OVER_TIME MAX_OVER_TIME STDVAR_OVER_TIME STDDEV_OVER_TIME "
      + "QUANTILE_OVER_TIME BYTES_CONV DURATION_CONV DURATION_SECONDS_CONV FIRST_OVER_TIME LAST_OVER_TIME "
      + "ABSENT_OVER_TIME VECTOR LABEL_REPLACE UNPACK OFFSET PATTERN IP ON IGNORING GROUP_LEFT GROUP_RIGHT "
      + "DECOLORIZE DROP KEEP").split(" ");

  /** How Loki names tokens in messages: the text of its lexer's table where it has one. */
  private static final String[][] DISPLAY = {
      {"COMMA", ","}, {"DOT", "."}, {"OPEN_BRACE", "{"}, {"CLOSE_BRACE", "}"}, {"EQ", "="}, {"NEQ", "!="},
      {"RE", "=~"}, {"NRE", "!~"}, {"NPA", "!>"}, {"PIPE_EXACT", "|="}, {"PIPE_MATCH", "|~"},
      {"PIPE_PATTERN", "|>"}, {"PIPE", "|"}, {"UNWRAP", "unwrap"}, {"OPEN_PARENTHESIS", "("},
      {"CLOSE_PARENTHESIS", ")"}, {"BY", "by"}, {"WITHOUT", "without"}, {"BOOL", "bool"}, {"OPEN_BRACKET", "["},
      {"CLOSE_BRACKET", "]"}, {"LABEL_REPLACE", "label_replace"}, {"OFFSET", "offset"}, {"ON", "on"},
      {"IGNORING", "ignoring"}, {"GROUP_LEFT", "group_left"}, {"GROUP_RIGHT", "group_right"}, {"OR", "or"},
      {"AND", "and"}, {"UNLESS", "unless"}, {"ADD", "+"}, {"SUB", "-"}, {"MUL", "*"}, {"DIV", "/"}, {"MOD", "%"},
      {"POW", "^"}, {"CMP_EQ", "=="}, {"GT", ">"}, {"GTE", ">="}, {"LT", "<"}, {"LTE", "<="}, {"JSON", "json"},
      {"REGEXP", "regexp"}, {"LOGFMT", "logfmt"}, {"UNPACK", "unpack"}, {"PATTERN", "pattern"},
      {"LABEL_FMT", "label_format"}, {"LINE_FMT", "line_format"}, {"IP", "ip"}, {"DECOLORIZE", "decolorize"},
      {"DROP", "drop"}, {"KEEP", "keep"}};

  // After the arrays above, which build() reads.
  static final Grammar GRAMMAR = build();
  static final LrTables TABLES = new LrTables(GRAMMAR);

  @SuppressWarnings("unchecked")
  private static <X> List<X> list(Object o) {
    return (List<X>) o;
  }

  private static <X> List<X> append(Object l, X x) {
    List<X> r = new ArrayList<>(list(l));
    r.add(x);
    return r;
  }

  private static MatchersExpr sel(Object v) {
    return new MatchersExpr(list(v));
  }

  private static PipelineExpr pipe(Object matchers, Object stages) {
    return new PipelineExpr(sel(matchers), list(stages));
  }

  private static long d(Object v) {
    return (Long) v;
  }

  private static Grammar build() {
    Grammar g = new Grammar();
    for (String t : TOKENS) {
      g.token(t, t);
    }
    g.precedence('L', "OR");
    g.precedence('L', "AND", "UNLESS");
    g.precedence('L', "CMP_EQ", "NEQ", "LT", "LTE", "GT", "GTE");
    g.precedence('L', "ADD", "SUB");
    g.precedence('L', "MUL", "DIV", "MOD");
    g.precedence('R', "POW");
    for (String[] d : DISPLAY) {
      g.display(d[0], d[1]);
    }

    g.rule("root", "expr", v -> v[0]);
    g.rule("expr", "logExpr", v -> v[0]);
    g.rule("expr", "metricExpr", v -> v[0]);

    g.rule("logExpr", "selector", v -> sel(v[0]));
    g.rule("logExpr", "selector pipelineExpr", v -> pipe(v[0], v[1]));
    g.rule("logExpr", "OPEN_PARENTHESIS logExpr CLOSE_PARENTHESIS", v -> v[1]);

    for (String m : new String[] {"rangeAggregationExpr", "vectorAggregationExpr", "binOpExpr", "literalExpr",
        "labelReplaceExpr", "vectorExpr"}) {
      g.rule("metricExpr", m, v -> v[0]);
    }
    g.rule("metricExpr", "OPEN_PARENTHESIS metricExpr CLOSE_PARENTHESIS", v -> v[1]);

    logRangeRules(g);

    g.rule("unwrapExpr", "PIPE UNWRAP IDENTIFIER", v -> new UnwrapExpr((String) v[2], "", List.of()));
    g.rule("unwrapExpr", "PIPE UNWRAP convOp OPEN_PARENTHESIS IDENTIFIER CLOSE_PARENTHESIS",
        v -> new UnwrapExpr((String) v[4], (String) v[2], List.of()));
    g.rule("unwrapExpr", "unwrapExpr PIPE labelFilter", v -> ((UnwrapExpr) v[0]).withPostFilter((LabelFilter) v[2]));

    g.rule("convOp", "BYTES_CONV", v -> "bytes");
    g.rule("convOp", "DURATION_CONV", v -> "duration");
    g.rule("convOp", "DURATION_SECONDS_CONV", v -> "duration_seconds");

    g.rule("rangeAggregationExpr", "rangeOp OPEN_PARENTHESIS logRangeExpr CLOSE_PARENTHESIS",
        v -> Builders.rangeAggregation((LogRangeExpr) v[2], (String) v[0], null, null));
    g.rule("rangeAggregationExpr", "rangeOp OPEN_PARENTHESIS NUMBER COMMA logRangeExpr CLOSE_PARENTHESIS",
        v -> Builders.rangeAggregation((LogRangeExpr) v[4], (String) v[0], null, (String) v[2]));
    g.rule("rangeAggregationExpr", "rangeOp OPEN_PARENTHESIS logRangeExpr CLOSE_PARENTHESIS grouping",
        v -> Builders.rangeAggregation((LogRangeExpr) v[2], (String) v[0], (Grouping) v[4], null));
    g.rule("rangeAggregationExpr", "rangeOp OPEN_PARENTHESIS NUMBER COMMA logRangeExpr CLOSE_PARENTHESIS grouping",
        v -> Builders.rangeAggregation((LogRangeExpr) v[4], (String) v[0], (Grouping) v[6], (String) v[2]));

    g.rule("vectorAggregationExpr", "vectorOp OPEN_PARENTHESIS metricExpr CLOSE_PARENTHESIS",
        v -> Builders.vectorAggregation((SampleExpr) v[2], (String) v[0], null, null));
    g.rule("vectorAggregationExpr", "vectorOp grouping OPEN_PARENTHESIS metricExpr CLOSE_PARENTHESIS",
        v -> Builders.vectorAggregation((SampleExpr) v[3], (String) v[0], (Grouping) v[1], null));
    g.rule("vectorAggregationExpr", "vectorOp OPEN_PARENTHESIS metricExpr CLOSE_PARENTHESIS grouping",
        v -> Builders.vectorAggregation((SampleExpr) v[2], (String) v[0], (Grouping) v[4], null));
    g.rule("vectorAggregationExpr", "vectorOp OPEN_PARENTHESIS NUMBER COMMA metricExpr CLOSE_PARENTHESIS",
        v -> Builders.vectorAggregation((SampleExpr) v[4], (String) v[0], null, (String) v[2]));
    g.rule("vectorAggregationExpr", "vectorOp OPEN_PARENTHESIS NUMBER COMMA metricExpr CLOSE_PARENTHESIS grouping",
        v -> Builders.vectorAggregation((SampleExpr) v[4], (String) v[0], (Grouping) v[6], (String) v[2]));
    g.rule("vectorAggregationExpr", "vectorOp grouping OPEN_PARENTHESIS NUMBER COMMA metricExpr CLOSE_PARENTHESIS",
        v -> Builders.vectorAggregation((SampleExpr) v[5], (String) v[0], (Grouping) v[1], (String) v[3]));

    g.rule("labelReplaceExpr", "LABEL_REPLACE OPEN_PARENTHESIS metricExpr COMMA STRING COMMA STRING COMMA STRING "
        + "COMMA STRING CLOSE_PARENTHESIS", v -> Builders.labelReplace((SampleExpr) v[2], (String) v[4],
        (String) v[6], (String) v[8], (String) v[10]));

    g.rule("selector", "OPEN_BRACE matchers CLOSE_BRACE", v -> v[1]);
    g.rule("selector", "OPEN_BRACE matchers error", v -> v[1]);
    g.rule("selector", "OPEN_BRACE CLOSE_BRACE", v -> List.of());

    g.rule("matchers", "matcher", v -> List.of(v[0]));
    g.rule("matchers", "matchers COMMA matcher", v -> append(v[0], (LabelMatcher) v[2]));

    g.rule("matcher", "IDENTIFIER EQ STRING", v -> Builders.matcher(LabelMatcher.Type.EQUAL, v[0], v[2]));
    g.rule("matcher", "IDENTIFIER NEQ STRING", v -> Builders.matcher(LabelMatcher.Type.NOT_EQUAL, v[0], v[2]));
    g.rule("matcher", "IDENTIFIER RE STRING", v -> Builders.matcher(LabelMatcher.Type.REGEX, v[0], v[2]));
    g.rule("matcher", "IDENTIFIER NRE STRING", v -> Builders.matcher(LabelMatcher.Type.NOT_REGEX, v[0], v[2]));

    g.rule("pipelineExpr", "pipelineStage", v -> List.of(v[0]));
    g.rule("pipelineExpr", "pipelineExpr pipelineStage", v -> append(v[0], (StageExpr) v[1]));

    g.rule("pipelineStage", "lineFilters", v -> v[0]);
    for (String s : new String[] {"logfmtParser", "labelParser", "jsonExpressionParser", "logfmtExpressionParser"}) {
      g.rule("pipelineStage", "PIPE " + s, v -> v[1]);
    }
    g.rule("pipelineStage", "PIPE labelFilter", v -> new StageExpr.LabelFilterExpr((LabelFilter) v[1]));
    for (String s : new String[] {"lineFormatExpr", "decolorizeExpr", "labelFormatExpr", "dropLabelsExpr",
        "keepLabelsExpr"}) {
      g.rule("pipelineStage", "PIPE " + s, v -> v[1]);
    }

    g.rule("filter", "PIPE_MATCH", v -> LineFilterExpr.Type.REGEX);
    g.rule("filter", "PIPE_EXACT", v -> LineFilterExpr.Type.EQUAL);
    g.rule("filter", "PIPE_PATTERN", v -> LineFilterExpr.Type.PATTERN);
    g.rule("filter", "NRE", v -> LineFilterExpr.Type.NOT_REGEX);
    g.rule("filter", "NEQ", v -> LineFilterExpr.Type.NOT_EQUAL);
    g.rule("filter", "NPA", v -> LineFilterExpr.Type.NOT_PATTERN);

    g.rule("filterOp", "IP", v -> "ip");

    g.rule("orFilter", "STRING", v -> new LineFilterExpr(LineFilterExpr.Type.EQUAL, "", (String) v[0]));
    g.rule("orFilter", "STRING OR orFilter", v -> LineFilterExpr.or(
        new LineFilterExpr(LineFilterExpr.Type.EQUAL, "", (String) v[0]), (LineFilterExpr) v[2]));
    g.rule("orFilter", "filterOp OPEN_PARENTHESIS STRING CLOSE_PARENTHESIS",
        v -> new LineFilterExpr(LineFilterExpr.Type.EQUAL, (String) v[0], (String) v[2]));

    g.rule("lineFilter", "filter STRING", v -> new LineFilterExpr((LineFilterExpr.Type) v[0], "", (String) v[1]));
    g.rule("lineFilter", "filter filterOp OPEN_PARENTHESIS STRING CLOSE_PARENTHESIS",
        v -> new LineFilterExpr((LineFilterExpr.Type) v[0], (String) v[1], (String) v[3]));
    g.rule("lineFilter", "lineFilter OR orFilter", v -> LineFilterExpr.or((LineFilterExpr) v[0],
        (LineFilterExpr) v[2]));

    g.rule("lineFilters", "lineFilter", v -> v[0]);
    g.rule("lineFilters", "lineFilters lineFilter", v -> LineFilterExpr.nested((LineFilterExpr) v[0],
        (LineFilterExpr) v[1]));

    g.rule("parserFlags", "FUNCTION_FLAG", v -> List.of(v[0]));
    g.rule("parserFlags", "parserFlags FUNCTION_FLAG", v -> append(v[0], (String) v[1]));

    g.rule("logfmtParser", "LOGFMT", v -> new StageExpr.LogfmtParserExpr(false, false));
    g.rule("logfmtParser", "LOGFMT parserFlags", v -> {
      List<String> f = list(v[1]);
      return new StageExpr.LogfmtParserExpr(f.contains("--strict"), f.contains("--keep-empty"));
    });

    g.rule("labelParser", "JSON", v -> new StageExpr.LineParserExpr("json", ""));
    g.rule("labelParser", "REGEXP STRING", v -> Builders.lineParser("regexp", (String) v[1]));
    g.rule("labelParser", "UNPACK", v -> new StageExpr.LineParserExpr("unpack", ""));
    g.rule("labelParser", "PATTERN STRING", v -> Builders.lineParser("pattern", (String) v[1]));

    g.rule("jsonExpressionParser", "JSON labelExtractionExpressionList",
        v -> new StageExpr.JsonExpressionParserExpr(list(v[1])));

    g.rule("logfmtExpressionParser", "LOGFMT parserFlags labelExtractionExpressionList", v -> {
      List<String> f = list(v[1]);
      return new StageExpr.LogfmtExpressionParserExpr(list(v[2]), f.contains("--strict"),
          f.contains("--keep-empty"));
    });
    g.rule("logfmtExpressionParser", "LOGFMT labelExtractionExpressionList",
        v -> new StageExpr.LogfmtExpressionParserExpr(list(v[1]), false, false));

    g.rule("lineFormatExpr", "LINE_FMT STRING", v -> new StageExpr.LineFormatExpr((String) v[1]));
    g.rule("decolorizeExpr", "DECOLORIZE", v -> new StageExpr.DecolorizeExpr());

    g.rule("labelFormat", "IDENTIFIER EQ IDENTIFIER", v -> new LabelFormat((String) v[0], (String) v[2], true));
    g.rule("labelFormat", "IDENTIFIER EQ STRING", v -> new LabelFormat((String) v[0], (String) v[2], false));

    g.rule("labelsFormat", "labelFormat", v -> List.of(v[0]));
    g.rule("labelsFormat", "labelsFormat COMMA labelFormat", v -> append(v[0], (LabelFormat) v[2]));
    g.rule("labelsFormat", "labelsFormat COMMA error", v -> v[0]);

    g.rule("labelFormatExpr", "LABEL_FMT labelsFormat", v -> new StageExpr.LabelFormatExpr(list(v[1])));

    g.rule("labelFilter", "matcher", v -> Builders.stringFilter((LabelMatcher) v[0]));
    g.rule("labelFilter", "ipLabelFilter", v -> v[0]);
    g.rule("labelFilter", "unitFilter", v -> v[0]);
    g.rule("labelFilter", "numberFilter", v -> v[0]);
    g.rule("labelFilter", "OPEN_PARENTHESIS labelFilter CLOSE_PARENTHESIS", v -> v[1]);
    g.rule("labelFilter", "labelFilter labelFilter", v -> new LabelFilter.Binary((LabelFilter) v[0],
        (LabelFilter) v[1], true));
    g.rule("labelFilter", "labelFilter AND labelFilter", v -> new LabelFilter.Binary((LabelFilter) v[0],
        (LabelFilter) v[2], true));
    g.rule("labelFilter", "labelFilter COMMA labelFilter", v -> new LabelFilter.Binary((LabelFilter) v[0],
        (LabelFilter) v[2], true));
    g.rule("labelFilter", "labelFilter OR labelFilter", v -> new LabelFilter.Binary((LabelFilter) v[0],
        (LabelFilter) v[2], false));

    g.rule("labelExtractionExpression", "IDENTIFIER EQ STRING",
        v -> new LabelExtraction((String) v[0], (String) v[2]));
    g.rule("labelExtractionExpression", "IDENTIFIER", v -> new LabelExtraction((String) v[0], (String) v[0]));

    g.rule("labelExtractionExpressionList", "labelExtractionExpression", v -> List.of(v[0]));
    g.rule("labelExtractionExpressionList", "labelExtractionExpressionList COMMA labelExtractionExpression",
        v -> append(v[0], (LabelExtraction) v[2]));

    g.rule("ipLabelFilter", "IDENTIFIER EQ IP OPEN_PARENTHESIS STRING CLOSE_PARENTHESIS",
        v -> new LabelFilter.IpFilter((String) v[0], Op.EQ, (String) v[4]));
    g.rule("ipLabelFilter", "IDENTIFIER NEQ IP OPEN_PARENTHESIS STRING CLOSE_PARENTHESIS",
        v -> new LabelFilter.IpFilter((String) v[0], Op.NE, (String) v[4]));

    g.rule("unitFilter", "durationFilter", v -> v[0]);
    g.rule("unitFilter", "bytesFilter", v -> v[0]);

    String[][] comparisons = {{"GT", "GT"}, {"GTE", "GE"}, {"LT", "LT"}, {"LTE", "LE"}, {"NEQ", "NE"}, {"EQ", "EQ"},
        {"CMP_EQ", "EQ"}};
    for (String[] c : comparisons) {
      Op op = Op.valueOf(c[1]);
      g.rule("durationFilter", "IDENTIFIER " + c[0] + " DURATION",
          v -> new LabelFilter.DurationFilter((String) v[0], op, d(v[2])));
    }
    for (String[] c : comparisons) {
      Op op = Op.valueOf(c[1]);
      g.rule("bytesFilter", "IDENTIFIER " + c[0] + " BYTES",
          v -> new LabelFilter.BytesFilter((String) v[0], op, d(v[2])));
    }
    for (String[] c : comparisons) {
      Op op = Op.valueOf(c[1]);
      g.rule("numberFilter", "IDENTIFIER " + c[0] + " literalExpr",
          v -> Builders.numericFilter((String) v[0], op, (SampleExpr) v[2]));
    }

    g.rule("namedMatcher", "IDENTIFIER", v -> new NamedMatcher(null, (String) v[0]));
    g.rule("namedMatcher", "matcher", v -> new NamedMatcher((LabelMatcher) v[0], ""));

    g.rule("namedMatchers", "namedMatcher", v -> List.of(v[0]));
    g.rule("namedMatchers", "namedMatchers COMMA namedMatcher", v -> append(v[0], (NamedMatcher) v[2]));

    g.rule("dropLabelsExpr", "DROP namedMatchers", v -> new StageExpr.DropLabelsExpr(list(v[1])));
    g.rule("keepLabelsExpr", "KEEP namedMatchers", v -> new StageExpr.KeepLabelsExpr(list(v[1])));

    String[][] binops = {{"OR", "or"}, {"AND", "and"}, {"UNLESS", "unless"}, {"ADD", "+"}, {"SUB", "-"},
        {"MUL", "*"}, {"DIV", "/"}, {"MOD", "%"}, {"POW", "^"}, {"CMP_EQ", "=="}, {"NEQ", "!="}, {"GT", ">"},
        {"GTE", ">="}, {"LT", "<"}, {"LTE", "<="}};
    for (String[] b : binops) {
      String op = b[1];
      g.rule("binOpExpr", "expr " + b[0] + " binOpModifier expr",
          v -> Builders.binOp(op, (BinOpOptions) v[2], (Expr) v[0], (Expr) v[3]));
    }

    g.rule("boolModifier", "", v -> BinOpOptions.NONE);
    g.rule("boolModifier", "BOOL", v -> BinOpOptions.NONE.withBool());

    g.rule("onOrIgnoringModifier", "boolModifier ON OPEN_PARENTHESIS labels CLOSE_PARENTHESIS",
        v -> ((BinOpOptions) v[0]).withMatching(true, list(v[3])));
    g.rule("onOrIgnoringModifier", "boolModifier ON OPEN_PARENTHESIS CLOSE_PARENTHESIS",
        v -> ((BinOpOptions) v[0]).withMatching(true, null));
    g.rule("onOrIgnoringModifier", "boolModifier IGNORING OPEN_PARENTHESIS labels CLOSE_PARENTHESIS",
        v -> ((BinOpOptions) v[0]).withMatching(false, list(v[3])));
    g.rule("onOrIgnoringModifier", "boolModifier IGNORING OPEN_PARENTHESIS CLOSE_PARENTHESIS", v -> v[0]);

    g.rule("binOpModifier", "boolModifier", v -> v[0]);
    g.rule("binOpModifier", "onOrIgnoringModifier", v -> v[0]);
    for (String[] side : new String[][] {{"GROUP_LEFT", "MANY_TO_ONE"}, {"GROUP_RIGHT", "ONE_TO_MANY"}}) {
      Cardinality card = Cardinality.valueOf(side[1]);
      g.rule("binOpModifier", "onOrIgnoringModifier " + side[0],
          v -> ((BinOpOptions) v[0]).withGroup(card, ((BinOpOptions) v[0]).include()));
      g.rule("binOpModifier", "onOrIgnoringModifier " + side[0] + " OPEN_PARENTHESIS CLOSE_PARENTHESIS",
          v -> ((BinOpOptions) v[0]).withGroup(card, ((BinOpOptions) v[0]).include()));
      g.rule("binOpModifier", "onOrIgnoringModifier " + side[0] + " OPEN_PARENTHESIS labels CLOSE_PARENTHESIS",
          v -> ((BinOpOptions) v[0]).withGroup(card, list(v[3])));
    }

    g.rule("literalExpr", "NUMBER", v -> Builders.literal((String) v[0], false));
    g.rule("literalExpr", "ADD NUMBER", v -> Builders.literal((String) v[1], false));
    g.rule("literalExpr", "SUB NUMBER", v -> Builders.literal((String) v[1], true));

    g.rule("vectorExpr", "vector OPEN_PARENTHESIS NUMBER CLOSE_PARENTHESIS", v -> Builders.vector((String) v[2]));
    g.rule("vector", "VECTOR", v -> "vector");

    String[][] vectorOps = {{"SUM", "sum"}, {"AVG", "avg"}, {"COUNT", "count"}, {"MAX", "max"}, {"MIN", "min"},
        {"STDDEV", "stddev"}, {"STDVAR", "stdvar"}, {"BOTTOMK", "bottomk"}, {"TOPK", "topk"}, {"SORT", "sort"},
        {"SORT_DESC", "sort_desc"}, {"APPROX_TOPK", "approx_topk"}};
    for (String[] o : vectorOps) {
      g.rule("vectorOp", o[0], v -> o[1]);
    }
    String[][] rangeOps = {{"COUNT_OVER_TIME", "count_over_time"}, {"RATE", "rate"},
        {"RATE_COUNTER", "rate_counter"}, {"BYTES_OVER_TIME", "bytes_over_time"}, {"BYTES_RATE", "bytes_rate"},
        {"AVG_OVER_TIME", "avg_over_time"}, {"SUM_OVER_TIME", "sum_over_time"}, {"MIN_OVER_TIME", "min_over_time"},
        {"MAX_OVER_TIME", "max_over_time"}, {"STDVAR_OVER_TIME", "stdvar_over_time"},
        {"STDDEV_OVER_TIME", "stddev_over_time"}, {"QUANTILE_OVER_TIME", "quantile_over_time"},
        {"FIRST_OVER_TIME", "first_over_time"}, {"LAST_OVER_TIME", "last_over_time"},
        {"ABSENT_OVER_TIME", "absent_over_time"}};
    for (String[] o : rangeOps) {
      g.rule("rangeOp", o[0], v -> o[1]);
    }

    g.rule("offsetExpr", "OFFSET DURATION", v -> v[1]);

    g.rule("labels", "IDENTIFIER", v -> List.of(v[0]));
    g.rule("labels", "labels COMMA IDENTIFIER", v -> append(v[0], (String) v[2]));

    g.rule("grouping", "BY OPEN_PARENTHESIS labels CLOSE_PARENTHESIS", v -> new Grouping(list(v[2]), false));
    g.rule("grouping", "WITHOUT OPEN_PARENTHESIS labels CLOSE_PARENTHESIS", v -> new Grouping(list(v[2]), true));
    g.rule("grouping", "BY OPEN_PARENTHESIS CLOSE_PARENTHESIS", v -> new Grouping(null, false));
    g.rule("grouping", "WITHOUT OPEN_PARENTHESIS CLOSE_PARENTHESIS", v -> new Grouping(null, true));

    g.complete("root");
    for (int i = 0; i < g.terminalCount(); i++) {
      T.IDS.put(tokenName(g, i), i);
    }
    T.BYTES = T.id("BYTES");
    T.IDENTIFIER = T.id("IDENTIFIER");
    T.STRING = T.id("STRING");
    T.NUMBER = T.id("NUMBER");
    T.FUNCTION_FLAG = T.id("FUNCTION_FLAG");
    T.DURATION = T.id("DURATION");
    T.RANGE = T.id("RANGE");
    return g;
  }

  private static String tokenName(Grammar g, int i) {
    return g.name(i);
  }

  /**
   * The 27 forms of {@code logRangeExpr}: the range may follow the selector, the pipeline or the unwrap, with an
   * optional offset, each also in parentheses.
   */
  private static void logRangeRules(Grammar g) {
    g.rule("logRangeExpr", "selector RANGE", v -> range(sel(v[0]), v[1], null, null));
    g.rule("logRangeExpr", "selector RANGE offsetExpr", v -> range(sel(v[0]), v[1], null, v[2]));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector CLOSE_PARENTHESIS RANGE",
        v -> range(sel(v[1]), v[3], null, null));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector CLOSE_PARENTHESIS RANGE offsetExpr",
        v -> range(sel(v[1]), v[3], null, v[4]));
    g.rule("logRangeExpr", "selector RANGE unwrapExpr", v -> range(sel(v[0]), v[1], v[2], null));
    g.rule("logRangeExpr", "selector RANGE offsetExpr unwrapExpr", v -> range(sel(v[0]), v[1], v[3], v[2]));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector CLOSE_PARENTHESIS RANGE unwrapExpr",
        v -> range(sel(v[1]), v[3], v[4], null));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector CLOSE_PARENTHESIS RANGE offsetExpr unwrapExpr",
        v -> range(sel(v[1]), v[3], v[5], v[4]));
    g.rule("logRangeExpr", "selector unwrapExpr RANGE", v -> range(sel(v[0]), v[2], v[1], null));
    g.rule("logRangeExpr", "selector unwrapExpr RANGE offsetExpr", v -> range(sel(v[0]), v[2], v[1], v[3]));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector unwrapExpr CLOSE_PARENTHESIS RANGE",
        v -> range(sel(v[1]), v[4], v[2], null));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector unwrapExpr CLOSE_PARENTHESIS RANGE offsetExpr",
        v -> range(sel(v[1]), v[4], v[2], v[5]));
    g.rule("logRangeExpr", "selector pipelineExpr RANGE", v -> range(pipe(v[0], v[1]), v[2], null, null));
    g.rule("logRangeExpr", "selector pipelineExpr RANGE offsetExpr", v -> range(pipe(v[0], v[1]), v[2], null, v[3]));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector pipelineExpr CLOSE_PARENTHESIS RANGE",
        v -> range(pipe(v[1], v[2]), v[4], null, null));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector pipelineExpr CLOSE_PARENTHESIS RANGE offsetExpr",
        v -> range(pipe(v[1], v[2]), v[4], null, v[5]));
    g.rule("logRangeExpr", "selector pipelineExpr unwrapExpr RANGE", v -> range(pipe(v[0], v[1]), v[3], v[2], null));
    g.rule("logRangeExpr", "selector pipelineExpr unwrapExpr RANGE offsetExpr",
        v -> range(pipe(v[0], v[1]), v[3], v[2], v[4]));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector pipelineExpr unwrapExpr CLOSE_PARENTHESIS RANGE",
        v -> range(pipe(v[1], v[2]), v[5], v[3], null));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS selector pipelineExpr unwrapExpr CLOSE_PARENTHESIS RANGE offsetExpr",
        v -> range(pipe(v[1], v[2]), v[5], v[3], v[6]));
    g.rule("logRangeExpr", "selector RANGE pipelineExpr", v -> range(pipe(v[0], v[2]), v[1], null, null));
    g.rule("logRangeExpr", "selector RANGE offsetExpr pipelineExpr", v -> range(pipe(v[0], v[3]), v[1], null, v[2]));
    g.rule("logRangeExpr", "selector RANGE pipelineExpr unwrapExpr", v -> range(pipe(v[0], v[2]), v[1], v[3], null));
    g.rule("logRangeExpr", "selector RANGE offsetExpr pipelineExpr unwrapExpr",
        v -> range(pipe(v[0], v[3]), v[1], v[4], v[2]));
    g.rule("logRangeExpr", "OPEN_PARENTHESIS logRangeExpr CLOSE_PARENTHESIS", v -> v[1]);
    g.rule("logRangeExpr", "logRangeExpr error", v -> v[0]);
  }

  private static LogRangeExpr range(LogSelectorExpr left, Object interval, Object unwrap, Object offset) {
    return new LogRangeExpr(left, d(interval), offset == null ? 0 : d(offset), (UnwrapExpr) unwrap);
  }
}
