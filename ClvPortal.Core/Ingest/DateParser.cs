namespace ClvPortal.Core.Ingest;

/// <summary>
/// A hand-written span parser for the date shapes real exports use: ISO 8601 ("2025-07-24",
/// "2025-07-24T10:17:00Z", "2025-07-24 10:17"), yyyymmdd ("20250724"), day/month/year and
/// month/day/year with '/', '-' or '.' ("24.07.2025", "07/24/2025 10:17", "7/24/25 10:17 PM"),
/// and Excel serial numbers when the column holds them. One pass over the characters, no
/// DateTime.ParseExact per row: this runs a million times per file. Time-zone offsets are
/// ignored on purpose: a purchase belongs to the shop's calendar day as the shop recorded it.
/// </summary>
internal static class DateParser
{
    private static readonly DateTime Excel1900Epoch = new(1899, 12, 30);
    private static readonly DateTime Excel1904Epoch = new(1904, 1, 1);

    /// <summary>The three leading numbers of a date, before the order of day and month is known.</summary>
    internal readonly record struct DateParts(int First, int FirstDigits, int Second, int Third, int ThirdDigits, bool Compact, bool NamedMonth = false);

    public static bool TryParse(ReadOnlySpan<char> text, bool dayFirst, bool allowSerial, bool date1904, out DateTime value)
    {
        value = default;
        text = text.Trim();
        if (!TrySplit(text, out var parts, out var rest))
        {
            if (TrySplitNamedMonth(text, out var named, out var namedRest))
            {
                parts = named;
                rest = namedRest;
            }
            else
            {
                return allowSerial && TryParseSerial(text, date1904, out value);
            }
        }

        if (parts.NamedMonth)
        {
            return TryBuild(parts.Third, parts.Second, parts.First, rest, out value);
        }

        int year, month, day;
        if (parts.Compact)
        {
            (year, month, day) = (parts.First / 10000, parts.First / 100 % 100, parts.First % 100);
        }
        else if (parts.FirstDigits == 4)
        {
            (year, month, day) = (parts.First, parts.Second, parts.Third);
        }
        else
        {
            (day, month) = dayFirst ? (parts.First, parts.Second) : (parts.Second, parts.First);
            year = parts.ThirdDigits == 2 ? (parts.Third < 50 ? 2000 : 1900) + parts.Third : parts.Third;
            if (parts.ThirdDigits is not (2 or 4))
            {
                return false;
            }
        }

        return TryBuild(year, month, day, rest, out value);
    }

    private static bool TryBuild(int year, int month, int day, ReadOnlySpan<char> rest, out DateTime value)
    {
        value = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (!TryParseTime(rest, out var timeOfDay))
        {
            return false;
        }

        value = new DateTime(year, month, day).AddTicks(timeOfDay);
        return true;
    }

    private static readonly string[] MonthNames =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>
    /// English month names, which settle the day/month question by themselves: "01-Dec-2010",
    /// "1 December 2010", "Dec 1, 2010", "December 01 2010 10:17". Parts come back as day, month, year.
    /// </summary>
    private static bool TrySplitNamedMonth(ReadOnlySpan<char> text, out DateParts parts, out ReadOnlySpan<char> rest)
    {
        parts = default;
        rest = default;
        var i = 0;
        int day, month;
        if (char.IsAsciiDigit(text.IsEmpty ? ' ' : text[0]))
        {
            day = ReadNumber(text, ref i, out var dayDigits);
            if (dayDigits is 0 or > 2 || !SkipSeparator(text, ref i) || !ReadMonth(text, ref i, out month) || !SkipSeparator(text, ref i))
            {
                return false;
            }
        }
        else
        {
            if (!ReadMonth(text, ref i, out month) || !SkipSeparator(text, ref i))
            {
                return false;
            }

            day = ReadNumber(text, ref i, out var dayDigits);
            if (dayDigits is 0 or > 2)
            {
                return false;
            }

            if (i < text.Length && text[i] == ',')
            {
                i++;
            }

            if (!SkipSeparator(text, ref i))
            {
                return false;
            }
        }

        var year = ReadNumber(text, ref i, out var yearDigits);
        if (yearDigits is not (2 or 4))
        {
            return false;
        }

        if (yearDigits == 2)
        {
            year += year < 50 ? 2000 : 1900;
        }

        parts = new DateParts(day, 2, month, year, 4, Compact: false, NamedMonth: true);
        rest = text[i..];
        return true;
    }

    private static bool SkipSeparator(ReadOnlySpan<char> text, ref int i)
    {
        var start = i;
        while (i < text.Length && text[i] is ' ' or '-' or '/' or '.' && i - start < 2)
        {
            i++;
        }

        return i > start;
    }

    private static bool ReadMonth(ReadOnlySpan<char> text, ref int i, out int month)
    {
        month = 0;
        var start = i;
        while (i < text.Length && char.IsAsciiLetter(text[i]))
        {
            i++;
        }

        var name = text[start..i];
        if (name.Length < 3)
        {
            return false;
        }

        for (var m = 0; m < MonthNames.Length; m++)
        {
            if (name[..3].Equals(MonthNames[m], StringComparison.OrdinalIgnoreCase))
            {
                month = m + 1;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Splits "a sep b sep c" (or an eight-digit yyyymmdd) off the front of the text; the rest is the time.
    /// Used both for parsing and for gathering day-first/month-first evidence.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<char> text, out DateParts parts, out ReadOnlySpan<char> rest)
    {
        parts = default;
        rest = default;
        var i = 0;
        var first = ReadNumber(text, ref i, out var firstDigits);
        if (firstDigits == 8 && (i == text.Length || text[i] is 'T' or ' '))
        {
            parts = new DateParts(first, 8, 0, 0, 0, Compact: true);
            rest = text[i..];
            return first / 10000 >= 1000;
        }

        if (firstDigits is 0 or > 4 || i >= text.Length || text[i] is not ('/' or '-' or '.'))
        {
            return false;
        }

        var separator = text[i++];
        var second = ReadNumber(text, ref i, out var secondDigits);
        if (secondDigits is 0 or > 2 || i >= text.Length || text[i] != separator)
        {
            return false;
        }

        i++;
        var third = ReadNumber(text, ref i, out var thirdDigits);
        if (thirdDigits is 0 or > 4 || firstDigits == 4 && thirdDigits > 2)
        {
            return false;
        }

        parts = new DateParts(first, firstDigits, second, third, thirdDigits, Compact: false);
        rest = text[i..];
        return true;
    }

    private static bool TryParseTime(ReadOnlySpan<char> rest, out long ticks)
    {
        ticks = 0;
        if (rest.IsEmpty)
        {
            return true;
        }

        if (rest[0] is not ('T' or ' '))
        {
            return false;
        }

        rest = rest[1..].TrimStart();
        if (rest.IsEmpty)
        {
            return true;
        }

        var i = 0;
        var hour = ReadNumber(rest, ref i, out var hourDigits);
        if (hourDigits is 0 or > 2 || i >= rest.Length || rest[i] != ':')
        {
            return false;
        }

        i++;
        var minute = ReadNumber(rest, ref i, out var minuteDigits);
        if (minuteDigits != 2)
        {
            return false;
        }

        var second = 0;
        long fraction = 0;
        if (i < rest.Length && rest[i] == ':')
        {
            i++;
            second = ReadNumber(rest, ref i, out var secondDigits);
            if (secondDigits != 2)
            {
                return false;
            }

            if (i < rest.Length && rest[i] is '.' or ',')
            {
                i++;
                var scale = TimeSpan.TicksPerSecond;
                while (i < rest.Length && char.IsAsciiDigit(rest[i]))
                {
                    scale /= 10;
                    fraction += (rest[i++] - '0') * scale;
                }
            }
        }

        var tail = rest[i..].Trim();
        if (tail.Length >= 2 && (tail[..2].Equals("AM", StringComparison.OrdinalIgnoreCase) || tail[..2].Equals("PM", StringComparison.OrdinalIgnoreCase)))
        {
            if (hour is < 1 or > 12)
            {
                return false;
            }

            var pm = char.ToUpperInvariant(tail[0]) == 'P';
            hour = hour % 12 + (pm ? 12 : 0);
            tail = tail[2..].Trim();
        }

        // "Z", "+02:00", "-0500", " UTC": the offset is deliberately not applied (see the class comment).
        if (!tail.IsEmpty && tail[0] is not ('Z' or '+' or '-') && !tail.Equals("UTC", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ticks = hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute + second * TimeSpan.TicksPerSecond + fraction;
        return true;
    }

    /// <summary>Excel stores dates as days since 1899-12-30 (or 1904-01-01 in the 1904 system), the fraction being the time.</summary>
    public static bool TryParseSerial(ReadOnlySpan<char> text, bool date1904, out DateTime value)
    {
        value = default;
        if (!NumberParser.TryParse(text, decimalComma: false, out var serial) || serial is < 1 or > 2_958_465)
        {
            return false;
        }

        value = FromSerial(serial, date1904);
        return true;
    }

    public static DateTime FromSerial(double serial, bool date1904)
    {
        var epoch = date1904 ? Excel1904Epoch : Excel1900Epoch;
        // Round to the millisecond: serials carry binary noise (0.999999 of a second).
        var milliseconds = Math.Round(serial * 86_400_000d);
        return epoch.AddTicks((long)milliseconds * TimeSpan.TicksPerMillisecond);
    }

    private static int ReadNumber(ReadOnlySpan<char> text, ref int i, out int digits)
    {
        var start = i;
        var value = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 9)
        {
            value = value * 10 + (text[i++] - '0');
        }

        digits = i - start;
        return value;
    }
}
